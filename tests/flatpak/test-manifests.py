#!/usr/bin/env python3
"""Checks the Flatpak manifests (TAP): flatpak-builder parses them, they
build Genokey with meson on the GNOME runtime with its tests enabled, the
sandbox holes are exactly the minimal set the README explains, and the
development manifest differs from the release one only where it must.

Usage: test-manifests.py FLATPAK_BUILDER MANIFEST_DIR
"""
import json
import os
import subprocess
import sys
import tempfile

flatpak_builder, manifest_dir = sys.argv[1], sys.argv[2]
APP_ID = 'io.github.genokey.Genokey'
MINIMAL_FINISH_ARGS = [
    '--share=network',      # the AWS endpoints, and the loopback sign-in listener
    '--share=ipc',          # X11 shared memory for the fallback-x11 socket
    '--socket=wayland',
    '--socket=fallback-x11',
    '--device=dri',         # GTK's GL renderer
]

results = []


def check(name, func):
    try:
        func()
        results.append((True, name, None))
    except Exception as e:  # noqa: BLE001 - every failure is reported
        results.append((False, name, e))


def show(path):
    # flatpak-builder leaves a .flatpak-builder state dir in its working dir.
    with tempfile.TemporaryDirectory() as cwd:
        out = subprocess.run([flatpak_builder, '--show-manifest', os.path.abspath(path)],
                             capture_output=True, text=True, timeout=60, cwd=cwd)
    if out.returncode != 0:
        raise AssertionError(f'flatpak-builder --show-manifest {path} failed: {out.stderr.strip()}')
    return json.loads(out.stdout)


manifests = {}


def parse(kind, file):
    def run():
        manifests[kind] = show(f'{manifest_dir}/{file}')
    return run


check('release manifest parses', parse('release', f'{APP_ID}.json'))
check('development manifest parses', parse('devel', f'{APP_ID}.Devel.json'))


def module(m):
    mods = [x for x in m['modules'] if isinstance(x, dict) and x.get('name') == 'genokey']
    assert len(mods) == 1, 'one module named genokey'
    return mods[0]


def release_shape():
    m = manifests['release']
    assert m['id'] == APP_ID, m['id']
    assert m['runtime'] == 'org.gnome.Platform', m['runtime']
    assert m['sdk'] == 'org.gnome.Sdk', m['sdk']
    assert int(m['runtime-version']) >= 47, m['runtime-version']
    assert m['command'] == 'genokey'
    g = module(m)
    assert g['buildsystem'] == 'meson'
    assert g.get('run-tests') is True, 'run-tests must be true'
    assert '-De2e=false' in g['config-opts'], 'the sandbox build has no Node.js or Chromium'
    assert '-Dprofile=default' in g['config-opts']
    assert any(s['type'] == 'dir' and s['path'] == '..' for s in g['sources']), \
        'the source is the checkout the manifest is in'


def minimal_finish_args():
    for kind in ('release', 'devel'):
        args = manifests[kind]['finish-args']
        assert args == MINIMAL_FINISH_ARGS, f'{kind}: finish-args {args}'
        for a in args:
            assert not a.startswith(('--filesystem', '--talk-name', '--own-name',
                                     '--system-talk-name', '--socket=session-bus',
                                     '--socket=system-bus', '--device=all')), a


def devel_differs_only_in_id_and_profile():
    r, d = manifests['release'], manifests['devel']
    assert d['id'] == APP_ID + '.Devel', d['id']
    gd = module(d)
    assert '-Dprofile=development' in gd['config-opts'], gd['config-opts']
    r2 = json.loads(json.dumps(r))
    r2['id'] = d['id']
    module(r2)['config-opts'] = [o if o != '-Dprofile=default' else '-Dprofile=development'
                                 for o in module(r2)['config-opts']]
    assert r2 == d, 'the .Devel manifest must equal the release one except id and profile'


check('release manifest: GNOME runtime, meson, tests on, checkout source', release_shape)
check('finish-args are exactly the minimal set', minimal_finish_args)
check('development manifest: .Devel id and -Dprofile=development only',
      devel_differs_only_in_id_and_profile)

print(f'1..{len(results)}')
for i, (ok, name, err) in enumerate(results, 1):
    print(f'{"ok" if ok else "not ok"} {i} - {name}')
    if err is not None:
        for line in str(err).splitlines() or [repr(err)]:
            print(f'# {line}')
sys.exit(0 if all(ok for ok, _, _ in results) else 1)
