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

# The command table: each command says what it needs (a profile, its
# sign-in, or credentials that `--profile env` may give), usage errors come
# before anything is opened, and opening fails the same way everywhere.
empty=$(mktemp -d)
trap 'rm -rf "$empty"' EXIT
bare () { env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN \
  XDG_CONFIG_HOME="$empty" XDG_RUNTIME_DIR="$empty" DBUS_SESSION_BUS_ADDRESS=disabled: "$GENOKEY" "$@"; }
check "a usage error comes before the profile is looked for" 2 \
  '^genokey ls: Give at most one s3:// address\.$' bare ls s3://a/ s3://b/
check "a command without arguments refuses one (status 2)" 2 \
  'genokey status: Unexpected argument .extra.' bare status extra
check "a sign-in command without profiles says how to add one (status 1)" 1 \
  '^genokey login: No profile is set up yet\. Import' bare login
check "an unknown profile is named (status 1)" 1 \
  '^genokey status: There is no profile .nope.' bare status --profile nope
check "--profile env names the missing variable (status 1)" 1 \
  '^genokey presign: AWS_ACCESS_KEY_ID is not set' bare presign s3://b/k --profile env
check "credential commands take --profile NAME|env" 0 '--profile=NAME\|env' bare ls --help
check "sign-in commands take --profile NAME" 0 '--profile=NAME +The profile to sign in to' bare login --help

echo "1..$n"
[ "$fails" -eq 0 ]
