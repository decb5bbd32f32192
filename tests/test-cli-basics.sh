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
  '^genokey login: No profile is set up yet\. Import your lab’s configuration with “genokey profile import FILE\|URL”\.$' \
  bare login
check "an unknown profile is named, with how to list them (status 1)" 1 \
  '^genokey status: There is no profile .nope.\. Run “genokey profile list” to see the profiles\.$' \
  bare status --profile nope
check "--profile env names the missing variable, and how to set them (status 1)" 1 \
  '^genokey presign: AWS_ACCESS_KEY_ID is not set\. .*--profile env reads the standard AWS variables' \
  bare presign s3://b/k --profile env
# The profile errors carry the profile (and key) involved; the command line
# words the way on with its own commands and options.
cat > "$empty/lab.json" <<'EOF'
{"client_id": "4abc5def6ghi",
 "auth_uri": "https://lab.auth.eu-west-2.amazoncognito.com/oauth2/authorize",
 "token_uri": "https://lab.auth.eu-west-2.amazoncognito.com/oauth2/token",
 "aws_region": "eu-west-2", "aws_cognito_pool_id": "eu-west-2_AbCdEf123",
 "aws_cognito_fed_pool_id": "eu-west-2:0a1b2c3d-4e5f-6789-abcd-ef0123456789"}
EOF
check "importing a profile works" 0 '^lab$' bare profile import "$empty/lab.json" --name lab
check "importing over a profile says how to choose or replace (status 1)" 1 \
  'A profile called .lab. exists already\. Choose another name with --name, or replace it with --replace\.$' \
  bare profile import "$empty/lab.json" --name lab
check "without a sign-in a command says how to sign in, naming the default profile (status 1)" 1 \
  'You are not signed in to profile .lab.\. Sign in with “genokey login --profile lab”\.$' \
  bare env
sed -i 's/"eu-west-2"/"Frankfurt"/' "$empty/genokey/profiles/lab.json"
check "a saved profile gone bad names the key and how to import it again (status 1)" 1 \
  '“aws_region” is “Frankfurt”.*Correct “aws_region” in the lab’s configuration and import it again with “genokey profile import FILE --name lab --replace”\.$' \
  bare status --profile lab
check "credential commands take --profile NAME|env" 0 '--profile=NAME\|env' bare ls --help
check "sign-in commands take --profile NAME" 0 '--profile=NAME +The profile to sign in to' bare login --help

echo "1..$n"
[ "$fails" -eq 0 ]
