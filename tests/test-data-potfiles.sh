#!/bin/sh
# POTFILES.in must list every source file with a user-visible string, and
# nothing that does not exist: a file missing there is never translated.
set -eu
root=${GK_SOURCE_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root"

listed=$(mktemp); found=$(mktemp)
trap 'rm -f "$listed" "$found"' EXIT
grep -v '^[[:space:]]*\(#\|$\)' po/POTFILES.in | sort -u > "$listed"

# _("…"), N_("…"), C_("ctx", "…"), ngettext (…) in C; translatable="yes" in templates.
{
  grep -rlE '(^|[^A-Za-z0-9_])(N?C?_|g?ngettext) ?\(' --include='*.c' --include='*.h' src || true
  grep -rl 'translatable="yes"' --include='*.ui' src || true
} | sort -u > "$found"

echo "1..2"
missing=$(comm -13 "$listed" "$found")
if [ -z "$missing" ]; then
  echo "ok 1 - every file with translatable strings is in po/POTFILES.in"
else
  echo "not ok 1 - files with translatable strings missing from po/POTFILES.in:"
  echo "$missing" | sed 's/^/#   /'
fi
stale=$(while read -r f; do [ -e "$f" ] || echo "$f"; done < "$listed")
if [ -z "$stale" ]; then
  echo "ok 2 - every file in po/POTFILES.in exists"
else
  echo "not ok 2 - po/POTFILES.in lists files that do not exist:"
  echo "$stale" | sed 's/^/#   /'
fi
