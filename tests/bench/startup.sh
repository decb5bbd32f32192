#!/bin/sh
# The window's start-up: process start to first frame, and peak memory once
# the signed-in view shows the lab's files — next to IGV desktop's start-up
# (to its first `echo` reply) and memory, measured in the same run.
#
#   startup.sh GENOKEY      (or: ninja -C BUILD bench-startup)
#   Env: RUNS (window starts, default 5)
#
# Runs under Xvfb in a private keyring session, signed in to the local AWS
# stand-in with `genokey login`, so the window restores the sign-in from the
# keyring and goes straight to the signed-in view, as after a reboot.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
genokey=${1:?usage: startup.sh GENOKEY}
here=$(cd "$(dirname "$0")" && pwd)
genokey=$(cd "$(dirname "$genokey")" && pwd)/$(basename "$genokey")
build=$(cd "$(dirname "$genokey")/.." && pwd)
export GENOKEY="$genokey"
export GSETTINGS_SCHEMA_DIR="${GSETTINGS_SCHEMA_DIR:-$build/data}"
export GSETTINGS_BACKEND=memory
exec xvfb-run -a -s '-screen 0 1280x800x24' \
  "$here/../integration/keyring-session.sh" node "$here/startup.mjs"
