// Genokey in a real Flatpak sandbox.
//
// 1. Builds (or reuses) a Flatpak runtime and SDK assembled from Debian 12
//    packages (build-runtime.sh): Flathub cannot be reached here.
// 2. Generates a test manifest from the release manifest
//    flatpak/io.github.genokey.Genokey.json, replacing only runtime, sdk and
//    runtime-version, in a copy of the work tree, and builds and installs it
//    with flatpak-builder (which also runs the unit tests inside the SDK).
// 3. Runs `genokey --version` in the sandbox and takes a screenshot of the
//    window started with `flatpak run` under Xvfb.
// 4. (sandbox-login.mjs, under Xvfb) Against the local AWS stand-in on the
//    host's loopback: `genokey login` in the sandbox opens the sign-in page
//    through the OpenURI portal in the host's default browser (a test
//    handler; headless Chromium completes it), then `login --no-browser`;
//    checks the refresh token is in the app's own keyring (Secret portal);
//    `status` and `presign` in new sandbox processes; the window started
//    with `flatpak run` restores that sign-in (its title names the user;
//    screenshot flatpak-window-signed-in.png) and, with no IGV running,
//    its Open in IGV saves the session through the FileChooser portal at a
//    host path typed into xdg-desktop-portal-gtk's dialog; `genokey igv`
//    sends the demo BAM to a real IGV on the host over its batch port (IGV reads it
//    through gateway links, served by the app's D-Bus service that the call
//    started inside the sandbox); `genokey link` prints links the host reads;
//    with no IGV running, the session file is saved under the app's folder
//    at a path the host can open.
//
// Prints how long each step and the whole run take, and writes the figures
// to $GK_BUILD_ROOT/test-artifacts/flatpak-timing.txt.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import {
  cpSync, existsSync, lstatSync, mkdirSync, readFileSync, rmSync, writeFileSync,
  appendFileSync, readdirSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const sourceRoot = process.env.GK_SOURCE_ROOT || join(here, '..', '..');
const buildRoot = process.env.GK_BUILD_ROOT || join(sourceRoot, '_build');
const work = join(buildRoot, 'flatpak-test');
const artifacts = join(buildRoot, 'test-artifacts');
const timingFile = join(artifacts, 'flatpak-timing.txt');

export const APP_ID = 'io.github.genokey.Genokey';
export const TEST_RUNTIME = {
  runtime: 'io.github.genokey.TestPlatform',
  sdk: 'io.github.genokey.TestSdk',
  'runtime-version': '12',
};

// Every flatpak command below uses the same per-user installation, also
// when a step gives the app a throw-away HOME.
const flatpakUserDir = process.env.FLATPAK_USER_DIR ||
  join(homedir(), '.local', 'share', 'flatpak');
const baseEnv = { ...process.env, FLATPAK_USER_DIR: flatpakUserDir };
delete baseEnv.G_DEBUG; // the host's test settings are not the sandbox's business
delete baseEnv.MALLOC_CHECK_;

const started = Date.now();
mkdirSync(artifacts, { recursive: true });
writeFileSync(timingFile, '');
function record (what, since) {
  const line = `flatpak: ${what}: ${((Date.now() - since) / 1000).toFixed(1)} s`;
  console.log(line);
  appendFileSync(timingFile, line + '\n');
}

/** Runs a command to completion; output goes to a log file under work/. */
function run (name, cmd, args, { env = baseEnv, timeout = 20 * 60, cwd } = {}) {
  return new Promise((resolve, reject) => {
    mkdirSync(work, { recursive: true });
    const logPath = join(work, `${name}.log`);
    writeFileSync(logPath, `$ ${cmd} ${args.join(' ')}\n`);
    const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const onData = (d) => { out += d; appendFileSync(logPath, d); };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setTimeout(() => child.kill('SIGTERM'), timeout * 1000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else {
        reject(new Error(`${cmd} ${args.slice(0, 3).join(' ')}… ` +
          `${signal ? 'was killed (' + signal + ')' : 'exited ' + code}; ` +
          `last lines of ${logPath}:\n${out.split('\n').slice(-40).join('\n')}`));
      }
    });
  });
}

/** The release manifest with only the runtime, SDK and branch replaced. */
export function testManifest (release) {
  return { ...release, ...TEST_RUNTIME };
}

/**
 * Copies the work tree (tracked and new files, not ignored ones), or with
 * GK_FLATPAK_TREE=<commit> that commit.
 */
function copyWorkTree (dest) {
  rmSync(dest, { recursive: true, force: true });
  const rev = process.env.GK_FLATPAK_TREE;
  if (rev) {
    mkdirSync(dest, { recursive: true });
    const tar = spawnSync('sh', ['-c', 'git -C "$1" archive --format=tar "$2" | tar -x -C "$3"',
      'sh', sourceRoot, rev, dest], { encoding: 'utf8' });
    assert.equal(tar.status, 0, `git archive ${rev} failed: ${tar.stderr}`);
    return spawnSync('git', ['-C', sourceRoot, 'ls-tree', '-r', '--name-only', rev],
      { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).length;
  }
  const ls = spawnSync('git', ['-C', sourceRoot, 'ls-files', '-z', '-co', '--exclude-standard'],
    { encoding: 'utf8' });
  if (ls.status !== 0) {
    // Not a git checkout (a release tarball): everything but build output.
    // (Entry by entry: the build dir may be inside the source dir.)
    mkdirSync(dest, { recursive: true });
    for (const e of readdirSync(sourceRoot)) {
      if (/^(_build|build|\.git$|\.flatpak-builder$)/.test(e)) continue;
      if ((buildRoot + '/').startsWith(join(sourceRoot, e) + '/')) continue; // this build
      cpSync(join(sourceRoot, e), join(dest, e), {
        recursive: true,
        verbatimSymlinks: true,
        filter: (from) => basename(from) !== 'node_modules',
      });
    }
    return readdirSync(dest, { recursive: true }).length;
  }
  let n = 0;
  for (const rel of ls.stdout.split('\0').filter(Boolean)) {
    const from = join(sourceRoot, rel);
    let st;
    try { st = lstatSync(from); } catch { continue; } // deleted in the work tree
    if (st.isDirectory()) continue; // a nested checkout
    mkdirSync(dirname(join(dest, rel)), { recursive: true });
    cpSync(from, join(dest, rel), { verbatimSymlinks: true, preserveTimestamps: true });
    n++;
  }
  return n;
}

let installed = false;

test('runtime and SDK from Debian 12 packages are installed', { timeout: 30 * 60 * 1000 }, async () => {
  const t0 = Date.now();
  await run('build-runtime', 'bash', [join(here, 'build-runtime.sh')], { timeout: 30 * 60 });
  record('runtime + SDK (build-runtime.sh)', t0);
  const info = spawnSync('flatpak', ['--user', 'info', `${TEST_RUNTIME.runtime}//${TEST_RUNTIME['runtime-version']}`],
    { env: baseEnv, encoding: 'utf8' });
  assert.equal(info.status, 0, info.stderr);
});

test('the app builds from the release manifest on the test runtime and installs', { timeout: 30 * 60 * 1000 }, async () => {
  const t0 = Date.now();
  const src = join(work, 'src');
  const files = copyWorkTree(src);
  assert.ok(files > 10, `only ${files} files in the work tree copy`);

  const releasePath = join(sourceRoot, 'flatpak', `${APP_ID}.json`);
  const release = JSON.parse(readFileSync(releasePath, 'utf8'));
  const generated = testManifest(release);
  // Only the runtime's names may differ from what users build.
  const changed = Object.keys({ ...release, ...generated })
    .filter((k) => JSON.stringify(release[k]) !== JSON.stringify(generated[k])).sort();
  assert.deepEqual(changed, ['runtime', 'runtime-version', 'sdk']);
  // Written where the release manifest sits, so its "path": ".." source is
  // the copy of the work tree.
  const manifestPath = join(src, 'flatpak', `${APP_ID}.json`);
  writeFileSync(manifestPath, JSON.stringify(generated, null, 2) + '\n');
  writeFileSync(join(artifacts, `${APP_ID}.test-manifest.json`), JSON.stringify(generated, null, 2) + '\n');

  await run('flatpak-builder', 'flatpak-builder', [
    '--user', '--install', '--disable-rofiles-fuse', '--force-clean',
    `--state-dir=${join(work, 'state')}`, join(work, 'app'), manifestPath,
  ], { timeout: 25 * 60 });
  record('flatpak-builder (build, unit tests in the SDK, install)', t0);

  const info = spawnSync('flatpak', ['--user', 'info', APP_ID], { env: baseEnv, encoding: 'utf8' });
  assert.equal(info.status, 0, info.stderr);
  assert.match(info.stdout, new RegExp(TEST_RUNTIME.runtime.replace(/\./g, '\\.')));
  installed = true;
});

test('genokey --version runs inside the sandbox', { timeout: 120 * 1000 }, async () => {
  assert.ok(installed, 'the app did not install');
  const t0 = Date.now();
  const out = await run('version', 'flatpak', ['run', `--command=genokey`, APP_ID, '--version'], { timeout: 90 });
  const version = readFileSync(join(sourceRoot, 'meson.build'), 'utf8')
    .match(/version:\s*'([0-9.]+)'/)[1];
  assert.equal(out.trim(), `genokey ${version}`);
  record('flatpak run genokey --version', t0);
});

test('the window opens with flatpak run under Xvfb (screenshot)', { timeout: 300 * 1000 }, async () => {
  assert.ok(installed, 'the app did not install');
  const t0 = Date.now();
  const png = join(artifacts, 'flatpak-window.png');
  rmSync(png, { force: true });
  await run('screenshot', 'xvfb-run', [
    '-a', '-s', '-screen 0 1280x800x24',
    join(sourceRoot, 'tests', 'integration', 'keyring-session.sh'),
    'sh', join(here, 'screenshot.sh'), APP_ID, png,
  ], { timeout: 240 });
  assert.ok(existsSync(png), 'no screenshot written');
  assert.ok(lstatSync(png).size > 5000, 'the screenshot is (nearly) empty');
  record('window + screenshot', t0);
});

test('sign-in through the OpenURI portal, presign and IGV over its port inside the sandbox', { timeout: 600 * 1000 }, async () => {
  assert.ok(installed, 'the app did not install');
  const t0 = Date.now();
  // XDG_CURRENT_DESKTOP=GNOME: xdg-desktop-portal uses gnome-keyring's Secret
  // backend and xdg-desktop-portal-gtk (the AppChooser backend, without which
  // it offers no OpenURI) only on GNOME (their .portal files say
  // UseIn=gnome); xdg-desktop-portal-gtk needs a display, hence xvfb-run.
  // In a mount namespace of its own with a fresh /run/user/<uid>: the
  // FileChooser portal hands the app a document-portal path under the host's
  // XDG_RUNTIME_DIR, which the sandbox has at /run/user/<uid>, so both must
  // be that directory (as in a real desktop session); keyring-session.sh's
  // temporary one would not do.
  const uid = process.getuid();
  const out = await run('login', 'unshare', [
    '--mount', '--propagation', 'private', 'sh', '-c',
    'mount -t tmpfs -o mode=755 tmpfs /run/user && mkdir -m 700 "/run/user/$(id -u)" && exec "$@"', 'sh',
    'xvfb-run', '-a', '-s', '-screen 0 1280x800x24',
    join(sourceRoot, 'tests', 'integration', 'keyring-session.sh'),
    process.execPath, join(here, 'sandbox-login.mjs'), APP_ID, artifacts,
  ], {
    env: {
      ...baseEnv,
      XDG_CURRENT_DESKTOP: 'GNOME',
      GK_TEST_RUNTIME_DIR: `/run/user/${uid}`,
      // The private session bus finds the D-Bus services flatpak exports,
      // as a desktop session does: `genokey link` in the sandbox starts the
      // app's windowless service through it.
      XDG_DATA_DIRS: [join(flatpakUserDir, 'exports', 'share'), process.env.XDG_DATA_DIRS || '/usr/local/share:/usr/share'].join(':'),
    },
    timeout: 480,
  })
    .catch((e) => { throw new Error(e.message); });
  for (const line of out.split('\n').filter((l) => /^(ok|FAIL) /.test(l))) console.log(`  ${line}`);
  assert.doesNotMatch(out, /^FAIL /m);
  record('sign-in (portal, --no-browser), presign, IGV in the sandbox', t0);
});

test('timing', () => {
  record('whole Flatpak test', started);
  // The build dir keeps the flatpak-builder logs; the app's build tree is big.
  rmSync(join(work, 'app'), { recursive: true, force: true });
  assert.ok(readdirSync(artifacts).includes('flatpak-timing.txt'));
});
