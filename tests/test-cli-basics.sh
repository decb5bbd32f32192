#!/bin/sh
# The command line's contract: --version, --help, and exit status 2 with a
# clear message for anything unknown. Runs the real binary.
set -u
: "${GENOKEY:?GENOKEY must point at the genokey binary}"
fails=0
n=0

check () { # description, expected status, stream pattern, command...
  desc=$1 want=$2 pattern=$3; shift 3
  n=$((n + 1))
  out=$("$@" 2>&1); got=$?
  if [ "$got" -ne "$want" ]; then
    echo "not ok $n - $desc: exit $got, expected $want"; echo "$out" | sed 's/^/# /'; fails=$((fails + 1))
  elif ! printf '%s\n' "$out" | grep -Eq -- "$pattern"; then
    echo "not ok $n - $desc: output lacks /$pattern/"; echo "$out" | sed 's/^/# /'; fails=$((fails + 1))
  else
    echo "ok $n - $desc"
  fi
}

check "--version prints the version" 0 '^genokey [0-9]+\.[0-9]+\.[0-9]+$' "$GENOKEY" --version
check "-V prints the version" 0 '^genokey [0-9]+\.[0-9]+\.[0-9]+$' "$GENOKEY" -V
check "--help lists usage" 0 'Usage:' "$GENOKEY" --help
check "--help says how the window opens" 0 'Open the Genokey window' "$GENOKEY" --help
check "unknown option exits 2 and names it" 2 'unknown option .--bogus.' "$GENOKEY" --bogus
check "unknown command exits 2 and names it" 2 '.frobnicate. is not a genokey command' "$GENOKEY" frobnicate
# Started from the build tree without its schema, the window says how to run
# it (meson devenv) in one sentence, instead of dying on a GLib trap.
check "without its schema the window says how to run it" 1 \
  '^genokey: .*schema io\.github\.genokey\.Genokey(\.Devel)? is not installed.*meson devenv -C _build genokey.*$' \
  env -u GSETTINGS_SCHEMA_DIR XDG_DATA_DIRS=/nonexistent "$GENOKEY"
echo "1..$n"
[ "$fails" -eq 0 ]
