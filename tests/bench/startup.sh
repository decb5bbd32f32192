#!/bin/sh
# The window's start-up: process start to first frame, and peak memory on
# the welcome page and once the signed-in view shows the lab's files, as
# ratios to a bare libadwaita window (BENCH_FLOOR: a header bar and a status
# page) — and next to IGV desktop's start-up (to its first `echo` reply) and
# memory, all measured in the same run.
#
#   startup.sh GENOKEY BENCH_FLOOR      (or: ninja -C BUILD bench-startup)
#   Env: RUNS (window starts, default 5)
#
# Runs under Xvfb in a private keyring session, signed in to the local AWS
# stand-in with `genokey login`, so the window restores the sign-in from the
# keyring and goes straight to the signed-in view, as after a reboot.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
genokey=${1:?usage: startup.sh GENOKEY BENCH_FLOOR}
floor=${2:?usage: startup.sh GENOKEY BENCH_FLOOR}
here=$(cd "$(dirname "$0")" && pwd)
genokey=$(cd "$(dirname "$genokey")" && pwd)/$(basename "$genokey")
floor=$(cd "$(dirname "$floor")" && pwd)/$(basename "$floor")
build=$(cd "$(dirname "$genokey")/.." && pwd)
export GENOKEY="$genokey" GENOKEY_BENCH_FLOOR="$floor"
export GSETTINGS_SCHEMA_DIR="${GSETTINGS_SCHEMA_DIR:-$build/data}"
export GSETTINGS_BACKEND=memory
exec xvfb-run -a -s '-screen 0 1280x800x24' \
  "$here/../integration/keyring-session.sh" node "$here/startup.mjs"
