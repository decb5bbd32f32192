#!/bin/sh
# Test hooks are in the binary only when the build asked for them.
#
#   test-hooks.sh absent|present GENOKEY SOURCE_ROOT
#
# Reads the name of every hook from src/ (gk_test_hook ("NAME"), see
# src/core/base/gk-test-hooks.h) and looks for each with strings(1) in the
# genokey binary: "absent" (a build with -Dtest_hooks=false, as a release
# is) fails on any, "present" (-Dtest_hooks=true) fails unless all are
# there, which shows the search would see them. Also fails when src/ reads
# an environment variable that is neither a hook nor one a user may set.
# TAP output.
set -u
mode=${1:?usage: test-hooks.sh absent|present GENOKEY SOURCE_ROOT}
genokey=${2:?}
src=${3:?}/src
# What users and their desktop set; everything else the program reads from
# the environment must be a test hook.
user_variables='DISPLAY FLATPAK_ID NO_COLOR TERM WAYLAND_DISPLAY'
n=0
fails=0

result () { # ok?, description
  n=$((n + 1))
  if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi
}

hooks=$(grep -rhoE --exclude=gk-test-hooks.h 'gk_test_hook \("[A-Za-z0-9_]+"\)' "$src" | sed -E 's/.*"([A-Za-z0-9_]+)".*/\1/' | sort -u)
count=$(printf '%s\n' "$hooks" | grep -c .)
[ "$count" -ge 5 ]
result $? "src/ names its test hooks ($count: $(echo $hooks))"

strings=$(mktemp)
trap 'rm -f "$strings"' EXIT
strings -a "$genokey" > "$strings"
[ -s "$strings" ]
result $? "strings(1) reads $genokey"

for hook in $hooks; do
  if grep -qF "$hook" "$strings"; then found=yes; else found=no; fi
  case $mode in
    absent) [ $found = no ]; result $? "$hook is not in a build without test hooks" ;;
    present) [ $found = yes ]; result $? "$hook is in a build with test hooks" ;;
  esac
done

# An environment read that is neither a user's variable nor a hook would
# be a hook that ships.
for name in $(grep -rhoE 'g_getenv \("[A-Za-z0-9_]+"\)' "$src" | sed -E 's/.*"([A-Za-z0-9_]+)".*/\1/' | sort -u); do
  case " $user_variables " in
    *" $name "*) result 0 "$name is read from the environment for users" ;;
    *) result 1 "$name is read with g_getenv () but is not a user's variable: make it a gk_test_hook () or add it to the list" ;;
  esac
done

echo "1..$n"
[ "$fails" -eq 0 ]
