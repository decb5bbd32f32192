#!/bin/sh
# Starts the installed Flatpak's window with `flatpak run` on the current X
# display, waits until it is mapped, saves a screenshot of the screen and
# stops the app.  Usage: screenshot.sh APP_ID OUTPUT.png
# Run it under xvfb-run and a D-Bus session (tests/integration/keyring-session.sh).
set -eu
app_id=$1 out=$2
log=${out%.png}.log

flatpak run "$app_id" > "$log" 2>&1 &
pid=$!
# The window's title is the app's name; WM_CLASS is the app id.
if ! timeout 90 xdotool search --sync --onlyvisible --name 'Genokey' > /dev/null; then
  echo "screenshot: no Genokey window within 90 s; the app said:" >&2
  cat "$log" >&2
  flatpak kill "$app_id" 2>/dev/null || kill "$pid" 2>/dev/null || true
  exit 1
fi
# The first frames: the window may be mapped before it draws (on a busy
# machine, seconds before), so wait until the screen is no longer all black
# (a black 1280×800 PNG is under 5 kB).
for _ in $(seq 1 30); do
  sleep 1
  import -window root "$out"
  [ "$(stat -c %s "$out")" -gt 20000 ] && break
done
sleep 1   # then one more frame
import -window root "$out"
flatpak kill "$app_id" 2>/dev/null || kill "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
echo "screenshot: $out"
