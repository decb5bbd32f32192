#!/bin/sh
# Runs a command in a network namespace of its own, with only a loopback
# interface: a test that must bind a fixed port (the demo signs in through
# 60151, the registered callback) then runs beside the others instead of
# alone. As root this is unshare -n; otherwise a user namespace comes with
# it (unshare -rn), which Debian 12 allows.
set -eu
if [ "$(id -u)" -eq 0 ]; then flags=-n; else flags=-rn; fi
exec unshare $flags sh -c 'ip link set lo up && exec "$@"' own-network "$@"
