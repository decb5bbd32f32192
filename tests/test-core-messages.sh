#!/bin/sh
# Core's messages are read in the window too: they say what is wrong and
# what to fix, and leave what to type (command-line options) to the command
# line's hints (src/cli/gk-cli-hints.c) and where to click to the window's
# (src/app/gk-app-hints.c). This extracts every translatable message of
# src/core as xgettext does and fails on any that names an option.
set -eu
root=${GK_SOURCE_ROOT:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "1..2"
(cd "$root" && find src/core -name '*.c' | sort) > "$tmp/files"
(cd "$root" && xgettext --files-from="$tmp/files" --from-code=UTF-8 \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dngettext:2,3 --keyword=ngettext:1,2 \
  --output="$tmp/core.pot")
msgcat --no-wrap "$tmp/core.pot" | sed -n 's/^msgid "\(.*\)"$/\1/p' | grep -v '^$' > "$tmp/msgids"

count=$(wc -l < "$tmp/msgids")
if [ "$count" -gt 100 ]; then
  echo "ok 1 - extracted $count messages from src/core"
else
  echo "not ok 1 - extracted only $count messages from src/core: the extraction is broken"
fi

if grep -nE -- '(^|[^-[:alnum:]])--[a-z][a-z-]*' "$tmp/msgids" > "$tmp/options"; then
  echo "not ok 2 - core messages name command-line options (word it in the faces' hints instead):"
  sed 's/^/#   /' "$tmp/options"
else
  echo "ok 2 - no core message names a command-line option"
fi
