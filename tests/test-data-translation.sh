#!/bin/sh
# The German translation is complete (every string in the sources has a
# non-fuzzy translation) and is the one genokey loads under a German locale.
set -eu
root=${GK_SOURCE_ROOT:?}
build=${GK_BUILD_ROOT:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "1..3"

# The same extraction i18n.gettext (preset glib) does, into a throw-away pot.
(cd "$root" && grep -v '^[[:space:]]*\(#\|$\)' po/POTFILES.in > "$tmp/files")
(cd "$root" && xgettext --files-from="$tmp/files" --directory="$root" \
  --from-code=UTF-8 --add-comments=Translators \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dngettext:2,3 --keyword=ngettext:1,2 \
  --output="$tmp/genokey.pot" 2>"$tmp/xgettext.log") || { cat "$tmp/xgettext.log" | sed 's/^/# /'; }

if msgcmp "$root/po/de.po" "$tmp/genokey.pot" >"$tmp/msgcmp.log" 2>&1; then
  echo "ok 1 - po/de.po translates every string in the sources"
else
  echo "not ok 1 - po/de.po is missing translations (run ninja genokey-update-po and translate):"
  grep -c 'this message is used but not defined' "$tmp/msgcmp.log" | sed 's/^/#   untranslated or fuzzy: /'
  # Name each missing message: the msgid after the line msgcmp points at.
  sed -n 's/^.*genokey\.pot:\([0-9]*\): this message is used but not defined.*/\1/p' "$tmp/msgcmp.log" |
    head -20 | while read -r line; do
      # msgcmp points at the message's msgstr line: print the msgid above it.
      awk -v at="$line" '/^msgid/ { id = ""; on = 1 } /^msgstr/ { on = 0 }
        on { t = $0; sub(/^msgid /, "", t); gsub(/^"|"$/, "", t); id = id t }
        NR == at { printf "%s", id; exit }' "$tmp/genokey.pot" |
        sed 's/^/#   /'
      echo
    done
fi

if msgfmt --check --output-file=/dev/null "$root/po/de.po" 2>"$tmp/msgfmt.log"; then
  echo "ok 2 - po/de.po passes msgfmt --check (format strings match)"
else
  echo "not ok 2 - po/de.po fails msgfmt --check"
  sed 's/^/#   /' "$tmp/msgfmt.log"
fi

# LANGUAGE is honoured with any locale but plain C; C.UTF-8 needs no
# generated locales. GENOKEY_LOCALEDIR points gettext at the build dir.
out=$(env LANGUAGE=de LANG=C.UTF-8 LC_ALL= GENOKEY_LOCALEDIR="$build/po" "$GENOKEY" --help 2>&1 || true)
if printf '%s\n' "$out" | grep -q 'Befehle:'; then
  echo "ok 3 - genokey --help is German under LANGUAGE=de"
else
  echo "not ok 3 - genokey --help is not German under LANGUAGE=de"
  printf '%s\n' "$out" | head -5 | sed 's/^/#   /'
fi
