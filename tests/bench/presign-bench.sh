#!/bin/sh
# Presigned links per second: Genokey next to botocore, awscrt and the AWS SDK
# for JavaScript, all measured in this run, one process (one core) each, with
# an ~800-character session token. Then the same as whole processes reading
# s3:// lines on stdin (`genokey presign -`), start-up included.
#
# Rates are per second of CPU time (user + system) of each process, so that a
# machine busy with other work does not distort the comparison; wall-clock
# time is shown too.
#
#   presign-bench.sh BENCH-PRESIGN GENOKEY     (or: ninja -C BUILD bench-presign)
#   Env: N (Genokey loop, default 1000000), LINES (default 100000)
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
bench=${1:?usage: presign-bench.sh BENCH-PRESIGN GENOKEY}
genokey=${2:?usage: presign-bench.sh BENCH-PRESIGN GENOKEY}
here=$(cd "$(dirname "$0")" && pwd)
N=${N:-1000000}
LINES=${LINES:-100000}
py=/usr/bin/python3 # Debian's python, where python3-botocore and python3-awscrt live
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

rate () { sed -n 's/^links_per_second //p'; }
ratio () { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f×", a / b; else print "n/a" }'; }

echo "Presigning in a loop (one core, ~800-char session token):"
"$bench" "$N" > "$tmp/bench"
g=$(rate < "$tmp/bench")
gwall=$(sed -n 's/^links_per_wall_second //p' "$tmp/bench")
b=$("$py" "$here/presign-peers.py" botocore 20000 2>/dev/null | rate || echo 0)
c=$("$py" "$here/presign-peers.py" awscrt 100000 2>/dev/null | rate || echo 0)
if command -v node >/dev/null && [ -d "$here/../node_modules/@aws-sdk/s3-request-presigner" ]; then
  j=$(NODE_NO_WARNINGS=1 node "$here/presign-sdk.mjs" 5000 2>/dev/null | rate || echo 0)
else
  j=0
fi
printf '  %-34s %12s links/s   (%s per wall second)\n' "Genokey (gk_sigv4_signer_presign)" "$g" "$gwall"
printf '  %-34s %12s links/s   Genokey is %s\n' "botocore $($py -c 'import botocore; print(botocore.__version__)')" "${b:-0}" "$(ratio "$g" "${b:-0}")"
printf '  %-34s %12s links/s   Genokey is %s\n' "awscrt (python3-awscrt)" "${c:-0}" "$(ratio "$g" "${c:-0}")"
printf '  %-34s %12s links/s   Genokey is %s\n' "AWS SDK JS v3 getSignedUrl" "${j:-0}" "$(ratio "$g" "${j:-0}")"

echo
echo "Whole process, $LINES s3:// lines on stdin → one URL per line:"
awk -v n="$LINES" 'BEGIN { for (i = 0; i < n; i++) printf "s3://demo-lab/cohort-7/sample-%06d/reads.bam\n", i }' > "$tmp/lines"

token=$(awk 'BEGIN { a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"; for (i = 0; i < 799; i++) printf "%s", substr(a, (i * 7 + 3) % 64 + 1, 1); print "=" }')
secs () { # command… < lines: prints "cpu-seconds wall-seconds", output discarded
  /usr/bin/time -f '%U %S %e' -o "$tmp/time" "$@" < "$tmp/lines" > "$tmp/out" 2>"$tmp/err" || { echo "0 0"; return; }
  [ "$(wc -l < "$tmp/out")" -eq "$LINES" ] || { echo "0 0"; return; }
  awk '{ printf "%.2f %.2f", $1 + $2, $3 }' "$tmp/time"
}
set -- $(secs env AWS_ACCESS_KEY_ID=ASIAEXAMPLEEXAMPLE12 AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY \
        AWS_SESSION_TOKEN="$token" AWS_REGION=eu-west-2 AWS_ENDPOINT_URL_S3=https://s3.eu-west-2.amazonaws.com \
        "$genokey" presign --profile env -)
gs=$1 gw=$2
if [ "$gs" = "0" ]; then
  echo "  genokey presign - failed:"; sed 's/^/    /' "$tmp/err" | head -5
fi
set -- $(secs "$py" "$here/presign-peers.py" awscrt -); cs=$1 cw=$2
set -- $(secs "$py" "$here/presign-peers.py" botocore -); bs=$1 bw=$2
per () { awk -v n="$LINES" -v s="$1" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print 0 }'; }
printf '  %-34s %8s %8s %12s\n' "" "CPU s" "wall s" "links/s"
printf '  %-34s %8s %8s %12s\n' "genokey presign --profile env -" "$gs" "$gw" "$(per "$gs")"
printf '  %-34s %8s %8s %12s   genokey is %s\n' "botocore script (stdin loop)" "$bs" "$bw" "$(per "$bs")" "$(ratio "$(per "$gs")" "$(per "$bs")")"
printf '  %-34s %8s %8s %12s   genokey is %s\n' "awscrt script (stdin loop)" "$cs" "$cw" "$(per "$cs")" "$(ratio "$(per "$gs")" "$(per "$cs")")"
