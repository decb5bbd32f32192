/* gk-test.h: the shared test helpers, for C tests that link gk_test_dep
 *
 *   gk-test-wait.h     wait on the main context for a condition or an async
 *                      result, failing with what was awaited
 *   gk-test-server.h   a fake HTTP server on a random loopback port
 *   gk-test-keyring.h  a memory (or real) keyring, filled in one call
 *   gk-test-home.h     a throw-away HOME with a default browser that notes addresses
 *   gk-test-profile.h  a real lab's oauth-config.json, plain or gzipped
 *
 * Each header says how to use it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gk-test-home.h"
#include "gk-test-keyring.h"
#include "gk-test-profile.h"
#include "gk-test-server.h"
#include "gk-test-wait.h"
