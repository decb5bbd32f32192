/* gk-doctor-judge.h: what each observation of a lab check means
 *
 * The checks (gk-doctor-*.c) observe: an HTTP status, a header, an AWS
 * error, a lifetime. The judges turn one observation into a finding, with
 * its severity, its sentence and its fix: what this computer meets
 * (gk-doctor-judge-network.h), the sign-in and the identity pool
 * (gk-doctor-judge-sign-in.h), and S3 (gk-doctor-judge-s3.h). Pure: the
 * tests give them observations, and the severities are decided there only
 * (the rules are in gk-doctor-judge-network.c's opening comment).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gk-doctor-judge-network.h"
#include "gk-doctor-judge-s3.h"
#include "gk-doctor-judge-sign-in.h"
