#!/usr/bin/env python3
"""The suite's own rules, read from meson's list of tests (intro-tests.json).

- Every Node.js suite reports TAP (--test-reporter=tap, protocol 'tap'),
  so meson and CI's closing line count its test cases one by one.
- Every test that starts `node` gets the test drivers' environment: no
  G_DEBUG of its own (the programs it starts are not under test), and
  GENOKEY as the wrapper that makes GLib warnings fatal in genokey.
- Every C test program speaks TAP too.

usage: test-suite-conventions.py BUILD_ROOT node-suites|no-node-suites  (TAP output)
"""
import json
import os
import sys

build = sys.argv[1]
expect_node_suites = sys.argv[2] == "node-suites"
with open(os.path.join(build, "meson-info", "intro-tests.json"), encoding="utf-8") as f:
    tests = json.load(f)

n = 0
failures = 0


def check(description, condition, detail=""):
    global n, failures
    n += 1
    print(f"{'ok' if condition else 'not ok'} {n} - {description}")
    if not condition:
        failures += 1
        for line in detail.splitlines():
            print(f"# {line}")


node_tests = [t for t in tests if any(os.path.basename(a) == "node" for a in t["cmd"])
              and "--test" in t["cmd"]]
# The second argument says whether this build registers the Node.js suites
# (-De2e=true and node found): then the list must find them, or this file
# reads the list wrong and checks nothing.
if expect_node_suites:
    check(f"meson lists Node.js suites ({len(node_tests)})", len(node_tests) >= 10)
else:
    check(f"meson lists no Node.js suite in a build without them ({len(node_tests)})",
          len(node_tests) == 0)
for t in node_tests:
    name = t["name"]
    check(f"{name} reports TAP, and meson reads it as TAP",
          "--test-reporter=tap" in t["cmd"] and t["protocol"] == "tap",
          f"args: {' '.join(t['cmd'][-4:])}; protocol: {t['protocol']}\n"
          "use '--test-reporter=tap' and protocol: 'tap'")
    check(f"{name} runs with the test drivers' environment",
          t["env"].get("G_DEBUG") == "" and t["env"].get("GENOKEY", "").endswith("genokey-under-test"),
          f"G_DEBUG={t['env'].get('G_DEBUG')!r} GENOKEY={t['env'].get('GENOKEY')!r}\n"
          "use env: driver_test_env (tests/meson.build)")

c_tests = [t for t in tests if any(os.path.basename(a).startswith("test-") and "/tests/" in a
                                   and not a.endswith((".sh", ".py", ".mjs")) for a in t["cmd"])]
check(f"meson lists C test programs ({len(c_tests)})", len(c_tests) >= 20)
for t in c_tests:
    check(f"{t['name']} speaks TAP", t["protocol"] == "tap" and "--tap" in t["cmd"],
          f"protocol: {t['protocol']}; args: {' '.join(t['cmd'][-3:])}")

print(f"1..{n}")
sys.exit(1 if failures else 0)
