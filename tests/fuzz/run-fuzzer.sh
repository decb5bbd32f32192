#!/bin/sh
# run-fuzzer.sh HARNESS SEEDS WORKDIR SECONDS
#
# Runs one libFuzzer harness for SECONDS over its seed corpus (SEEDS, in
# the source tree, read only) and what earlier runs found (WORKDIR/corpus,
# which grows), then says in one line what it did. A crash, leak, timeout
# or broken check fails it: the input is kept in WORKDIR/artifacts and the
# report is printed.
set -u
harness=$1 seeds=$2 work=$3 seconds=$4
name=$(basename "$harness")
mkdir -p "$work/corpus/$name" "$work/artifacts"
log=$work/$name.log
started=$(date +%s)

# -timeout: one input taking this long is a finding (a hang), with room for
# ASan on a loaded machine. Leak checking is on by default under ASan.
"$harness" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$work/artifacts/$name-" "$work/corpus/$name" "$seeds" >"$log" 2>&1
status=$?
elapsed=$(( $(date +%s) - started ))

execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -n 1)
found=$(grep -c 'Test unit written to' "$log")
summary="$name: ${execs:-?} executions in $elapsed s, ${cov:-no coverage reported}, $found finding(s)"
echo "$summary"
echo "$summary" >"$work/$name.summary"
if [ "$status" -ne 0 ]; then
  echo "$name failed (exit status $status); the end of its log ($log):"
  grep -v '^#[0-9]' "$log" | tail -n 80
fi
exit "$status"
