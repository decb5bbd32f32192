/* gk-test-hooks.h: switches that only the tests may flip
 *
 * The end-to-end tests need a few ways into the program that no user should
 * have: end the process halfway through a keyring rotation, print start-up
 * marks, keep the browser from opening, load translations from the build
 * tree. Each is an environment variable read with gk_test_hook ("NAME").
 *
 * They exist only in builds configured with -Dtest_hooks=true (CI's, and a
 * developer's who runs the whole suite). Otherwise gk_test_hook() is NULL
 * at compile time: neither the switch's name nor the code behind it is in
 * the binary. Put code that only a hook reaches (an _exit, say) inside
 * #if GK_TEST_HOOKS as well. tests/test-hooks.sh reads every name used with
 * gk_test_hook() here in src/ and checks with strings(1) that a build
 * without hooks holds none of them, and that a build with hooks holds all.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#ifndef GK_TEST_HOOKS
#error "include config.h before gk-test-hooks.h"
#endif

#if GK_TEST_HOOKS
#define gk_test_hook(name) g_getenv (name)
#else
#define gk_test_hook(name) ((const char *) NULL)
#endif
