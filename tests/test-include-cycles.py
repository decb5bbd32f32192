#!/usr/bin/env python3
# The include-cycle check itself, on small trees made to fail and to pass:
# a check that cannot fail proves nothing about src/.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CHECK = os.path.join(HERE, 'check-include-cycles.py')
FIXTURES = os.path.join(HERE, 'include-cycles')

results = []


def run(tree, known=None):
    args = [sys.executable, CHECK, os.path.join(FIXTURES, tree, 'src')]
    if known is not None:
        fd, path = tempfile.mkstemp(suffix='.txt')
        with os.fdopen(fd, 'w') as f:
            f.write(known)
        args += ['--known', path]
    try:
        p = subprocess.run(args, capture_output=True, text=True, timeout=60)
    finally:
        if known is not None:
            os.unlink(path)
    return p.returncode, p.stdout + p.stderr


def check(name, ok, output):
    results.append((name, ok, output))


rc, out = run('pair')
check('two files that include each other are a cycle, printed',
      rc == 1 and 'include cycle: src/a → src/b → src/a' in out
      and 'src/a.c includes "b.h"' in out and 'src/b.c includes "a.h"' in out, out)

rc, out = run('private')
check('a private header counts for the files that define what it declares',
      rc == 1 and 'include cycle: src/renew → src/store → src/renew' in out
      and 'src/store.c includes "session-private.h"' in out, out)

rc, out = run('clean')
check('a one-way tree passes, private header and all',
      rc == 0 and '0 cycle(s)' in out and '3 modules' in out, out)

rc, out = run('pair', known='# today\nsrc/b src/a\n')
check('a known cycle is reported but passes',
      rc == 0 and 'known include cycle, to go: src/a → src/b → src/a' in out, out)

rc, out = run('clean', known='src/a src/b\n')
check('a known cycle that is gone fails until it is taken off the list',
      rc == 1 and 'no longer a cycle (take it off the known list): src/a src/b' in out, out)

rc, out = run('pair', known='src/a src/b src/c\n')
check('a known cycle that changed is not known any more',
      rc == 1 and 'include cycle: src/a' in out and 'no longer a cycle' in out, out)

print(f'1..{len(results)}')
for i, (name, ok, output) in enumerate(results, 1):
    print(f'{"ok" if ok else "not ok"} {i} - {name}')
    if not ok:
        for line in output.splitlines():
            print(f'# {line}')
sys.exit(0 if all(ok for _, ok, _ in results) else 1)
