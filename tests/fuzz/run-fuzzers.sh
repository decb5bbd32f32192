#!/bin/sh
# run-fuzzers.sh SECONDS WORKDIR HARNESS SEEDS [HARNESS SEEDS…]
#
# `ninja fuzz`: every harness for SECONDS, one after the other (FUZZ_JOBS=2
# runs two at a time), then one summary line per harness. Fails when any
# harness found something.
set -u
here=$(dirname "$0")
seconds=$1 work=$2
shift 2
jobs=${FUZZ_JOBS:-1}
mkdir -p "$work"
rm -f "$work"/*.summary "$work"/*.failed

run () { # harness seeds
  "$here/run-fuzzer.sh" "$1" "$2" "$work" "$seconds" >/dev/null || touch "$work/$(basename "$1").failed"
  cat "$work/$(basename "$1").summary"
}

running=0
while [ $# -ge 2 ]; do
  run "$1" "$2" &
  shift 2
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait
    running=0
  fi
done
wait

failed=$(ls "$work"/*.failed 2>/dev/null | wc -l)
if [ "$failed" -ne 0 ]; then
  for f in "$work"/*.failed; do
    name=$(basename "$f" .failed)
    echo "$name found something; its report is in $work/$name.log, the input in $work/artifacts/"
  done
  exit 1
fi
echo "no findings; new inputs are kept in $work/corpus/"
