#!/bin/sh
# The session bus for keyring-session.sh, with its standard output (and
# that of every service it starts, such as AT-SPI's registry, which
# announces itself there) sent to standard error: a test's standard output
# is its TAP report.
exec dbus-daemon "$@" >&2
