#!/usr/bin/env python3
"""CI's closing line counts every test, and nothing that did not pass.

Runs a small meson project whose tests pass, skip a subtest, crash midway
through their TAP plan, or exit 77 (skip), then checks what
.ci/summarize.py makes of meson's real logs. TAP output.
"""
import importlib.util
import io
import os
import subprocess
import sys
import tempfile

MESON = sys.argv[1] if len(sys.argv) > 1 else "meson"
SOURCE_ROOT = os.environ.get("GK_SOURCE_ROOT", os.path.join(os.path.dirname(__file__), ".."))

PROJECT = r"""project('summarize-check')
sh = find_program('sh')
test('tap-ok', sh, args: ['-c', 'echo "TAP version 13"; echo "ok 1 - a"; echo "ok 2 - b"; echo "1..2"'], protocol: 'tap', suite: 'unit')
test('tap-skip', sh, args: ['-c', 'echo "ok 1 - a"; echo "ok 2 - b # SKIP no display"; echo "1..2"'], protocol: 'tap')
test('tap-fail', sh, args: ['-c', 'echo "ok 1 - a"; echo "not ok 2 - b"; echo "1..2"'], protocol: 'tap')
test('tap-crash', sh, args: ['-c', 'echo "ok 1 - a"; echo "ok 2 - b"; echo "1..3"; kill -ABRT $$'], protocol: 'tap')
test('tap-all-skipped', sh, args: ['-c', 'echo "1..0 # SKIP nothing here"'], protocol: 'tap')
test('tap-control-byte', sh, args: ['-c', 'printf "# odd \\001 byte\\n"; echo "ok 1 - a"; echo "1..1"'], protocol: 'tap')
test('exit-ok', sh, args: ['-c', 'exit 0'])
test('exit-skip', sh, args: ['-c', 'exit 77'])
"""

n = 0
failures = 0


def check(description, condition, detail=""):
    global n, failures
    n += 1
    if condition:
        print(f"ok {n} - {description}")
    else:
        failures += 1
        print(f"not ok {n} - {description}")
        for line in detail.splitlines():
            print(f"# {line}")


spec = importlib.util.spec_from_file_location("summarize", os.path.join(SOURCE_ROOT, ".ci", "summarize.py"))
summarize = importlib.util.module_from_spec(spec)
spec.loader.exec_module(summarize)

with tempfile.TemporaryDirectory(prefix="gk-summarize-") as tmp:
    with open(os.path.join(tmp, "meson.build"), "w", encoding="utf-8") as f:
        f.write(PROJECT)
    subprocess.run([MESON, "setup", "_b"], cwd=tmp, check=True, stdout=subprocess.DEVNULL)
    # Some of these fail on purpose.
    subprocess.run([MESON, "test", "-C", "_b"], cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    out = io.StringIO()
    cwd = os.getcwd()
    os.chdir(tmp)
    try:
        passed, failed = summarize.count(["_b/meson-logs/testlog.json", "_missing/meson-logs/testlog.json"], out)
    finally:
        os.chdir(cwd)
    text = out.getvalue()

    # tap-ok 2, tap-skip 1, tap-fail 1, tap-crash 2, tap-control-byte 1, exit-ok 1
    check("every passing subtest and exit-code test counts once", passed == 8, text)
    # tap-skip 1 skipped, tap-fail 1, tap-crash 1 (the crash), tap-all-skipped 1,
    # exit-skip 1, the missing log 1
    check("skips, failures, crashes and a missing log all count as failed", failed == 6, text)
    check("a skipped subtest is named as skipped", "skipped: 2 - b" in text, text)
    check("a failed subtest is named", "failed: 2 - b" in text, text)
    check("a missing log says the build failed", "_missing: no test log" in text, text)
    check("the last line is the count", text.rstrip().splitlines()[-1] == "8 passed, 6 failed", text)

    # A control byte in a test's output makes meson's JUnit log ill-formed
    # XML; the count must not depend on it.
    junit = os.path.join(tmp, "_b", "meson-logs", "testlog.junit.xml")
    with open(junit, "rb") as f:
        raw = f.read()
    check("meson copied the control byte into its JUnit log", b"\x01" in raw)
    with open(junit, "wb") as f:
        f.write(raw[: len(raw) // 2])  # and a log cut short must not matter either
    out = io.StringIO()
    os.chdir(tmp)
    try:
        again = summarize.count(["_b/meson-logs/testlog.json"], out)
    finally:
        os.chdir(cwd)
    check("without a readable JUnit log the TAP output gives the same count",
          again == (8, 5), out.getvalue())

print(f"1..{n}")
sys.exit(1 if failures else 0)
