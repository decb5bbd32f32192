#!/usr/bin/env python3
"""Count meson test results across test logs; print the closing line.

Every test that did not pass counts as failed, skipped ones included: a test
that cannot run in CI is a CI failure, not a pass.
"""
import json
import sys

passed = failed = 0
for path in sys.argv[1:]:
    label = path.split("/")[0]
    try:
        with open(path, encoding="utf-8") as f:
            entries = [json.loads(line) for line in f if line.strip()]
    except FileNotFoundError:
        print(f"{label}: no test log (the build failed)")
        failed += 1
        continue
    if not entries:
        print(f"{label}: no test ran")
        failed += 1
    for e in entries:
        ok = e["result"] in ("OK", "EXPECTEDFAIL")
        passed += ok
        failed += not ok
        print(f"{label}: {e['result']:<8} {e['name']} ({e['duration']:.1f} s)")

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
