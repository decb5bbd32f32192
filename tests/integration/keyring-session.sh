#!/bin/sh
# Runs a command inside a private D-Bus session with a real, unlocked
# gnome-keyring (Secret Service), a throw-away HOME and XDG directories.
#
# HOME must be set before dbus-run-session starts: gnome-keyring creates the
# "login" collection (the default collection libsecret stores into) under
# $HOME/.local/share/keyrings, and only when unlocked with a password on stdin.
set -eu
tmp=$(mktemp -d -t gk-session.XXXXXX)
# GTK apps start xdg-document-portal, which mounts $XDG_RUNTIME_DIR/doc:
# unmount it, and never let cleaning up change the command's exit status.
trap 'fusermount3 -u "$tmp/run/doc" 2>/dev/null || fusermount -u "$tmp/run/doc" 2>/dev/null || true
      rm -rf "$tmp" 2>/dev/null || true' EXIT INT TERM
export HOME="$tmp/home"
export XDG_CONFIG_HOME="$HOME/.config" XDG_DATA_HOME="$HOME/.local/share"
export XDG_CACHE_HOME="$HOME/.cache" XDG_RUNTIME_DIR="$tmp/run"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
export GK_TEST_SESSION_DIR="$tmp"
# G_DEBUG=fatal-warnings is for the program under test, not for the daemons
# this session starts (gnome-keyring, the portals, AT-SPI): they print
# warnings of their own, and would abort on them. They get no G_DEBUG; the
# command gets it back.
export GK_TEST_G_DEBUG="${G_DEBUG-}"
unset G_DEBUG
dbus-run-session --dbus-daemon="$(dirname "$0")/dbus-daemon-stderr.sh" -- sh -c '
  eval "$(printf genokey-test | gnome-keyring-daemon --unlock --components=secrets)"
  export GNOME_KEYRING_CONTROL
  if [ -n "$GK_TEST_G_DEBUG" ]; then export G_DEBUG="$GK_TEST_G_DEBUG"; fi
  unset GK_TEST_G_DEBUG
  exec "$@"
' keyring-session "$@"
