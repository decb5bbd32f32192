// The README's first command, exactly as written: `bash .ci/demo`, from the
// source tree, as a newcomer on a fresh machine runs it: no keyring daemon,
// no session bus, no GSettings schema installed beforehand, nothing from the
// test suite's own environment.
//
// Without a display the printed sign-in link is completed by headless
// Chromium with a demo user, and the BAM link the demo prints must return the
// BAM's first bytes. Under Xvfb the window must appear on the demo profile;
// a screenshot is kept in the build's test-artifacts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from './lib/chromium.mjs';
import { Atspi } from './lib/atspi.mjs';
import { scaled } from './lib/timeouts.mjs';

const SOURCE_ROOT = process.env.GK_SOURCE_ROOT;
const BUILD_ROOT = process.env.GK_BUILD_ROOT;
const ARTIFACTS = join(BUILD_ROOT, 'test-artifacts');
// The demo builds and installs Genokey and starts IGV-free; on a loaded
// 2-core machine under the sanitizer run's neighbours this takes a while.
const STEP_TIMEOUT_MS = 240_000;

/** A newcomer's environment: a fresh HOME, no bus, no schema dir. */
function newcomerEnv (home, extra = {}) {
  const keep = ['PATH', 'LANG', 'TERM', 'USER', 'LOGNAME', 'SHELL', 'TMPDIR'];
  const env = {};
  for (const k of keep) if (process.env[k] !== undefined) env[k] = process.env[k];
  return {
    ...env,
    HOME: home,
    XDG_RUNTIME_DIR: join(home, 'run'),
    ...extra,
  };
}

/**
 * Runs `bash .ci/demo` and collects its output line by line. Returns
 * { child, waitFor(regex, what), exited, output() }.
 */
function startDemo (env) {
  const child = spawn('bash', ['.ci/demo'], { cwd: SOURCE_ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  const waiters = [];
  const feed = (d) => {
    out += d;
    for (const w of [...waiters]) {
      const m = w.regex.exec(out);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        clearTimeout(w.timer);
        w.resolve(m);
      }
    }
  };
  child.stdout.on('data', feed);
  child.stderr.on('data', feed);
  const exited = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  exited.then(({ code }) => {
    for (const w of waiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(new Error(`the demo exited (status ${code}) while the test waited for ${w.what}; it printed:\n${out}`));
    }
  });
  return {
    child,
    exited,
    output: () => out,
    waitFor (regex, what, timeoutMs = STEP_TIMEOUT_MS) {
      const m = regex.exec(out);
      if (m) return Promise.resolve(m);
      return new Promise((resolve, reject) => {
        const w = { regex, what, resolve, reject };
        w.timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}; the demo printed:\n${out}`));
        }, timeoutMs);
        waiters.push(w);
      });
    },
  };
}

function freshHome () {
  const home = mkdtempSync(join(tmpdir(), 'gk-demo-home-'));
  mkdirSync(join(home, 'run'), { mode: 0o700 });
  return home;
}

function demoStateDirs () {
  return readdirSync(tmpdir()).filter((n) => n.startsWith('genokey-demo.'));
}

function keyringDaemonsUnder (dir) {
  const r = spawnSync('pgrep', ['-af', 'gnome-keyring-daemon'], { encoding: 'utf8' });
  return (r.stdout || '').split('\n').filter((l) => l && dir && l.includes(dir));
}

test('/demo/no-display: the printed link signs in, and the BAM link it prints returns the BAM', { timeout: scaled(600_000) }, async () => {
  const home = freshHome();
  const before = new Set(demoStateDirs());
  const demo = startDemo(newcomerEnv(home));
  try {
    await demo.waitFor(/no keyring is running, so the demo starts its own/, 'the notice that the demo brings its own keyring');
    const user = await demo.waitFor(/Demo users \(user \/ password\):\n\s+(\S+) \/ (\S+)\n/, 'the demo users');
    const [, username, password] = user;
    const link = await demo.waitFor(/^(http:\/\/127\.0\.0\.1:\d+\/oauth2\/authorize\?\S+)$/m, 'the sign-in link');

    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      await page.goto(link[1]);
      await page.fill('input[name=username]', username);
      await page.fill('input[name=password]', password);
      await Promise.all([
        page.waitForURL(/oauthCallback/, { timeout: scaled(60_000) }),
        page.click('button[type=submit]'),
      ]);
      assert.match(await page.textContent('body'), /Signed in/);
    } finally {
      await browser.close();
    }

    await demo.waitFor(/Signed in as \S+@\S+ — credentials valid until/, 'the signed-in line');
    // The listing: the demo BAM and its index are in the sample folder.
    const listing = await demo.waitFor(/The demo sample's folder:\n([\s\S]*?)\n\n/, 'the listing');
    assert.match(listing[1], /SAMPLE1\.bam\b/);
    assert.match(listing[1], /SAMPLE1\.bam\.bai\b/);

    // The links go to stdout, each alone on its line; the expiry goes to
    // stderr and may land between them.
    await demo.waitFor(/what IGV is given\):\n(?:.*\n)*?https?:\/\/\S+\n(?:.*\n)*?https?:\/\/\S+\n/, 'the BAM and index links');
    const [bamUrl, baiUrl] = demo.output().split('what IGV is given):\n')[1]
      .split('\n').filter((l) => /^https?:\/\//.test(l));
    assert.match(new URL(bamUrl).pathname, /SAMPLE1\.bam$/);
    assert.match(new URL(baiUrl).pathname, /SAMPLE1\.bam\.bai$/);
    await demo.waitFor(/genokey igv --profile demo s3:\/\/demo-lab\/\S+\.bam/, 'the IGV command');

    // The BAM's first bytes: a BGZF block (gzip with the BC extra field),
    // whose payload starts with BAM's magic.
    const r = await fetch(bamUrl, { headers: { range: 'bytes=0-65535' } });
    assert.equal(r.status, 206, `the printed BAM link answered ${r.status}`);
    const bytes = Buffer.from(await r.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 4)], [0x1f, 0x8b, 0x08, 0x04], 'gzip with FEXTRA');
    assert.equal(bytes.subarray(12, 14).toString('latin1'), 'BC', 'BGZF block');
    const { gunzipSync } = await import('node:zlib');
    const blockSize = bytes.readUInt16LE(16) + 1;
    assert.equal(gunzipSync(bytes.subarray(0, blockSize)).subarray(0, 4).toString('latin1'), 'BAM\x01');
    const idx = await fetch(baiUrl, { headers: { range: 'bytes=0-3' } });
    assert.equal(idx.status, 206);
    assert.equal(Buffer.from(await idx.arrayBuffer()).toString('latin1'), 'BAI\x01');

    // End of input ends the demo, which cleans up after itself.
    demo.child.stdin.end();
    const { code } = await demo.exited;
    assert.equal(code, 0, `the demo exited with ${code}:\n${demo.output()}`);
    const after = demoStateDirs().filter((n) => !before.has(n));
    assert.deepEqual(after, [], 'the demo removes its temporary directory');
    // The private keyring went with the demo's private bus.
    assert.deepEqual(keyringDaemonsUnder(home), []);
  } finally {
    if (demo.child.exitCode === null) demo.child.kill('SIGTERM');
    await demo.exited;
    rmSync(home, { recursive: true, force: true });
  }
});

test('/demo/window: under Xvfb the window opens on the demo profile', { timeout: scaled(600_000) }, async () => {
  const home = freshHome();
  mkdirSync(ARTIFACTS, { recursive: true });
  // An X server of our own, on a display number it picks itself.
  const xvfb = spawn('Xvfb', ['-displayfd', '1', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'],
    { stdio: ['ignore', 'pipe', 'ignore'] });
  const display = await new Promise((resolve, reject) => {
    let buf = '';
    xvfb.stdout.on('data', (d) => {
      buf += d;
      if (buf.includes('\n')) resolve(`:${buf.trim()}`);
    });
    xvfb.on('exit', (c) => reject(new Error(`Xvfb exited (${c}) before telling its display`)));
  });
  const demo = startDemo(newcomerEnv(home, { DISPLAY: display }));
  try {
    await demo.waitFor(/no keyring is running, so the demo starts its own/, 'the notice that the demo brings its own keyring');
    await demo.waitFor(/Opening Genokey on the demo profile/, 'the demo to start the window');
    // The window maps with the signed-out page of the demo profile: its
    // title is "Genokey" and the profile name is the subtitle.
    const window = await waitForWindow(display, demo);
    const xenv = { ...process.env, DISPLAY: display };
    // Over AT-SPI, on the demo's own (private) session bus: the signed-out
    // page of the demo profile, whose name is the window's subtitle, with
    // Sign In ready to click.
    const pid = Number(spawnSync('xdotool', ['getwindowpid', window], { env: xenv, encoding: 'utf8' }).stdout.trim());
    assert.ok(pid > 0, 'the window names its process');
    const busAddress = readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0')
      .find((e) => e.startsWith('DBUS_SESSION_BUS_ADDRESS='))?.slice('DBUS_SESSION_BUS_ADDRESS='.length);
    assert.ok(busAddress, 'the window runs on a session bus');
    const atspi = new Atspi(pid, { ...process.env, DBUS_SESSION_BUS_ADDRESS: busAddress });
    try {
      await atspi.waitFor({ role: 'push button', name: 'Sign In', state: 'sensitive' }, STEP_TIMEOUT_MS);
      await atspi.waitFor({ role: 'label', name: 'demo' }, STEP_TIMEOUT_MS);
    } finally {
      atspi.close();
    }
    const shot = join(ARTIFACTS, 'demo-window.png');
    await waitForDrawnWindow(window, xenv, shot);
    // Quitting the window (Ctrl+Q, as a user would) ends the demo, which
    // cleans up.
    spawnSync('xdotool', ['windowfocus', '--sync', window], { env: xenv });
    spawnSync('xdotool', ['key', '--clearmodifiers', 'ctrl+q'], { env: xenv });
    const limit = scaled(STEP_TIMEOUT_MS);
    const { code } = await Promise.race([demo.exited, new Promise((resolve, reject) => setTimeout(() =>
      reject(new Error(`the demo did not end within ${limit / 1000} s of Ctrl+Q; it printed:\n${demo.output()}`)), limit).unref())]);
    assert.equal(code, 0, `the demo exited with ${code}:\n${demo.output()}`);
    assert.doesNotMatch(demo.output(), /GLib-GIO-ERROR|Trace\/breakpoint/);
  } finally {
    if (demo.child.exitCode === null) demo.child.kill('SIGTERM');
    await demo.exited;
    xvfb.kill();
    rmSync(home, { recursive: true, force: true });
  }
});

/** Waits until a window named Genokey is mapped; returns its X id. */
async function waitForWindow (display, demo) {
  const env = { ...process.env, DISPLAY: display };
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  for (;;) {
    const r = spawnSync('xdotool', ['search', '--onlyvisible', '--name', '^Genokey$'], { env, encoding: 'utf8' });
    const id = r.stdout.trim().split('\n').filter(Boolean)[0];
    if (id) return id;
    if (demo.child.exitCode !== null) throw new Error(`the demo exited before a window appeared:\n${demo.output()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for a mapped window named Genokey on ${display}; the demo printed:\n${demo.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Takes screenshots of the window until it shows more than one colour
 * (a mapped GTK window is black until its first frame); keeps the last. */
async function waitForDrawnWindow (window, env, shot) {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  for (;;) {
    const s = spawnSync('import', ['-window', window, shot], { env, encoding: 'utf8' });
    assert.equal(s.status, 0, `screenshot failed: ${s.stderr}`);
    const colours = Number(spawnSync('identify', ['-format', '%k', shot], { encoding: 'utf8' }).stdout);
    if (colours > 16) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for the window to draw (its screenshot has ${colours} colours)`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
