#!/usr/bin/env python3
"""Count meson test results across test logs; print the closing line.

Counts every test a program reports: the C tests and the Node.js suites
speak TAP, so each of their subtests is one result (read from the JUnit log
meson writes beside testlog.json); a program without subtests is one result.

Every result that did not pass counts as failed, skipped ones included: a
test that cannot run in CI is a CI failure, not a pass. A program that
failed as a whole (it crashed, timed out or broke its plan) counts one more
failure when none of its subtests did, so it can never look green.
"""
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

GOOD = ("OK", "EXPECTEDFAIL")


def outcome(case):
    """"ok", or why a JUnit test case did not pass."""
    for tag, why in (("skipped", "skipped"), ("failure", "failed"), ("error", "error")):
        if case.find(tag) is not None:
            return why
    return "ok"


# meson copies each test's output into the JUnit log as it is; a control
# byte in it (a test that sends odd bytes and prints what came back) makes
# the file ill-formed XML.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
TAP_RESULT = re.compile(r"^(not )?ok\b(?:\s+\d+)?\s*-?\s*([^#]*?)\s*(?:#\s*(\w+).*)?$")


def subtests_by_test(junit_path):
    """{test name: [(subtest name, outcome)]} from meson's JUnit log, or
    None when there is no readable log."""
    if not os.path.exists(junit_path):
        return None
    with open(junit_path, "rb") as f:
        text = NOT_XML.sub("\ufffd", f.read().decode("utf-8", errors="replace"))
    try:
        root = ET.fromstring(text)
    except ET.ParseError as e:
        print(f"{junit_path}: unreadable ({e}); reading the TAP output instead", file=sys.stderr)
        return None
    found = {}
    for suite in root.iter("testsuite"):
        cases = suite.findall("testcase")
        # TAP programs get a suite of their own, "<project>.<test name>";
        # the others share one named after the project.
        project, _, name = suite.get("name", "").partition(".")
        if not name or not cases:
            continue
        found[name] = [(case.get("name", ""), outcome(case)) for case in cases]
    return found


def subtests_from_tap(stdout):
    """[(subtest name, outcome)] from a TAP stream (top level only)."""
    subs = []
    for line in (stdout or "").splitlines():
        m = TAP_RESULT.match(line)
        if m:
            directive = (m.group(3) or "").upper()
            why = "failed" if m.group(1) else "skipped" if directive.startswith("SKIP") else "ok"
            subs.append((m.group(2), why))
    return subs


def count(paths, out=sys.stdout):
    passed = failed = 0
    for path in paths:
        label = path.split("/")[0]
        try:
            with open(path, encoding="utf-8") as f:
                entries = [json.loads(line) for line in f if line.strip()]
        except FileNotFoundError:
            print(f"{label}: no test log (the build failed)", file=out)
            failed += 1
            continue
        if not entries:
            print(f"{label}: no test ran", file=out)
            failed += 1
        subtests = subtests_by_test(os.path.join(os.path.dirname(path), "testlog.junit.xml"))
        for e in entries:
            name, result = e["name"], e["result"]
            subs = subtests.get(name, []) if subtests is not None else subtests_from_tap(e.get("stdout"))
            good = sum(why == "ok" for _, why in subs)
            bad = len(subs) - good
            if not subs:
                good, bad = (1, 0) if result in GOOD else (0, 1)
            elif result not in GOOD and bad == 0:
                bad = 1  # the program itself: crashed, timed out, bad plan
            passed += good
            failed += bad
            detail = f"{good}/{good + bad}" if subs else ""
            print(f"{label}: {result:<8} {name} {detail} ({e['duration']:.1f} s)".replace("  (", " ("),
                  file=out)
            for sub, why in subs:
                if why != "ok":
                    print(f"{label}:   {why}: {sub}", file=out)
    print(f"{passed} passed, {failed} failed", file=out)
    return passed, failed


if __name__ == "__main__":
    _, failed_count = count(sys.argv[1:])
    sys.exit(1 if failed_count else 0)
