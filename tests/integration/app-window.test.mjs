// The window end to end, as a lab member uses it: import the lab's profile,
// click Sign In, finish the hosted login in "the system browser" (headless
// Chromium, reached through a test default-browser handler), see the
// signed-in user, walk from the bucket through the folders to the demo BAM,
// Copy Link, check the link works, add it to a Chromoscope set and open it
// (served by the window's gateway).
//
// The window is driven as assistive technology drives it: widgets are found
// over AT-SPI by role and accessible name and clicked through their
// accessible action (lib/atspi.mjs). GTK 4.8 gives list rows no action and
// does not take focus requests, so the bucket and folder rows are reached
// with the keyboard (xdotool keys to the focused window: Tab, arrows,
// Return), reading the focus back over AT-SPI; that also proves they are
// reachable from the keyboard. In every page state, every push and toggle
// button must have an accessible name.
//
// A real notification server (dunst, org.freedesktop.Notifications) runs in
// the session, so the renewal test sees GNotification delivered, invokes
// its action there, and sees it withdrawn.
//
// Runs under Xvfb inside keyring-session.sh (private D-Bus, unlocked keyring,
// throw-away HOME). Screenshots of each state go to
// $GK_BUILD_ROOT/test-artifacts/e2e-*.png. Signed links never reach the log.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, writeFileSync, readFileSync, existsSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { startStandIn } from '../aws-sim/index.mjs';
import { launchChromium } from './lib/chromium.mjs';
import { Atspi, a11yEnv } from './lib/atspi.mjs';
import { freePort, importProfile } from './lib/genokey-cli.mjs';
import { scaled, waitUntil } from './lib/timeouts.mjs';

const run = promisify(execFile);
const GENOKEY = process.env.GENOKEY;
const BUILD = process.env.GK_BUILD_ROOT;
const ARTIFACTS = join(BUILD, 'test-artifacts');
const CLIPBOARD_READ = join(BUILD, 'tests', 'gk-test-clipboard-read');

let sim;
let app;
let appLog = '';
const session = process.env.GK_TEST_SESSION_DIR;
const openedFile = join(session || '/tmp', 'opened-urls.txt');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Polls fn; on giving up, says what it waited for and how Genokey is.
function waitFor (what, fn, timeoutMs = 60000) {
  return waitUntil(what, fn, { timeoutMs, describe: appReport });
}

// The whole screen (no window manager here, so no decorations to lose),
// for people to look at: nothing is asserted on it, so a moment's pause
// lets GTK finish drawing what the test just saw over AT-SPI.
async function screenshot (name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await sleep(300);
  await run('import', ['-window', 'root', join(ARTIFACTS, `e2e-${name}.png`)]);
}

// The desktop's default browser, as GIO finds it: a .desktop file named in
// mimeapps.list. It only notes the URL; the test then drives Chromium to it.
function installBrowserHandler () {
  const dataHome = process.env.XDG_DATA_HOME;
  const configHome = process.env.XDG_CONFIG_HOME;
  assert.ok(dataHome && configHome, 'run inside keyring-session.sh');
  const script = join(session, 'browser.sh');
  writeFileSync(script, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${openedFile}'\n`);
  chmodSync(script, 0o755);
  mkdirSync(join(dataHome, 'applications'), { recursive: true });
  writeFileSync(join(dataHome, 'applications', 'gk-test-browser.desktop'),
    `[Desktop Entry]\nType=Application\nName=Test Browser\nExec=${script} %u\n` +
    'MimeType=x-scheme-handler/http;x-scheme-handler/https;text/html;\nNoDisplay=true\n');
  writeFileSync(join(configHome, 'mimeapps.list'),
    '[Default Applications]\nx-scheme-handler/http=gk-test-browser.desktop\n' +
    'x-scheme-handler/https=gk-test-browser.desktop\ntext/html=gk-test-browser.desktop\n');
}


// A stand-in whose app client's registered callback is a free port, and
// its profile imported as name: no other test binds that port, so this
// test runs beside the others.
async function startLab (name, options = {}) {
  const port = await freePort();
  const lab = await startStandIn({ ...options, redirectUris: [`http://localhost:${port}/oauthCallback`] });
  lab.callbackPort = port;
  await importProfile(lab, { name, port });
  return lab;
}

// Completes the hosted login that the window asked "the browser" to open;
// done when the browser is sent back to Genokey's listener.
async function completeHostedLogin (url, user) {
  const port = new URL(new URL(url).searchParams.get('redirect_uri')).port;
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    await page.goto(url);
    await page.fill('input[name=username]', user.username);
    await page.fill('input[name=password]', user.password);
    await Promise.all([
      page.waitForURL((u) => u.port === port && u.pathname === '/oauthCallback', { timeout: scaled(60000) }),
      page.click('button[type=submit]'),
    ]);
  } finally {
    await browser.close();
  }
}

function openedUrls () {
  return existsSync(openedFile) ? readFileSync(openedFile, 'utf8').trim().split('\n').filter(Boolean) : [];
}

// Only the login pages of @standIn: other opened links (Chromoscope's) are
// signed and must never reach the browser driver or the log.
function loginUrls (standIn) {
  return openedUrls().filter((u) => u.startsWith(standIn.info.hosted_ui.authorization_endpoint));
}

// Starts Genokey with the accessibility bridge on; returns its AT-SPI view.
async function startApp () {
  const logStart = appLog.length;
  // GENOKEY_BENCH marks the first frame on stderr: the first start in a
  // fresh session waits seconds for D-Bus services, and keys pressed
  // before the window draws are lost.
  app = spawn(GENOKEY, [], { env: { ...a11yEnv(), GENOKEY_BENCH: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  app.stdout.on('data', (d) => { appLog += d; });
  app.stderr.on('data', (d) => { appLog += d; });
  await waitFor('the first frame', async () => appLog.slice(logStart).includes('first-frame'), 60000);
  return new Atspi(app.pid);
}

// Whether Genokey is still running, and what it printed.
function appReport () {
  const state = !app ? 'not started'
    : app.exitCode !== null ? `exited with status ${app.exitCode}`
      : app.signalCode !== null ? `killed by ${app.signalCode}` : 'running';
  return `genokey (pid ${app?.pid}): ${state}\n--- genokey log ---\n${appLog}`;
}

async function stopApp () {
  atspi?.close();
  if (app && app.exitCode === null && app.signalCode === null) {
    app.kill('SIGTERM');
    await new Promise((resolve) => app.on('exit', resolve));
  }
}

// Progress with timings on stdout, and the accessible tree as an artifact
// when a step fails.
const started = Date.now();
const step = (what) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${what}`);
async function dumpTree (name) {
  try {
    const nodes = await atspi.tree();
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, `e2e-${name}-atspi.txt`), nodes.map((n) =>
      `${'  '.repeat(n.depth)}${n.role} ${JSON.stringify(n.name || n.type || '')} ${n.states.join(',')}` +
      `${n.content ? ` [${n.content}]` : ''}${n.extents ? ` @${n.extents.join(',')}` : ''}`).join('\n') + '\n');
  } catch (e) {
    console.log(`no accessible tree: ${e.message}`);
  }
}

const key = (...keys) => run('xdotool', ['key', '--delay', '60', ...keys]);

// Presses Tab until the focus is on a node that satisfies pred.
async function tabTo (what, pred) {
  for (let i = 0; i < 25; i++) {
    const found = (await atspi.focused()).find(pred);
    if (found) return found;
    await key('Tab');
  }
  throw new Error(`Tab never reached ${what}; the focus is on ${JSON.stringify(await atspi.focused())}`);
}

const isRow = (n) => n.role === 'table row' || n.role === 'list item';
// A row's first column: the file or folder name (the demo's have no spaces).
const rowName = (n) => (n.content || '').split(' ')[0];

const focusedRow = async () => (await atspi.focused()).find(isRow);

// Moves the focus along a list to the row named name, as arrow keys do,
// one row at a time: after each key press it waits for the focus to move.
// A new listing keeps the focus on the list itself, where Down would start
// from the row that had the focus in the old listing; Home always lands on
// the first row, so it is what enters a list (and pressing it again, when a
// key pressed while the listing was still arriving was lost, is harmless).
// From a row, the walk goes down to the last row, then up, so it finds the
// row wherever it starts.
async function arrowTo (name) {
  const seen = [];
  let row = await focusedRow();
  for (let i = 0; !row && i < 5; i++) {
    await key('Home');
    row = await waitFor('the focus on a row of the list', focusedRow, 30000).catch(() => null);
  }
  if (!row) {
    throw new Error(`no row of the list took the focus after five Home keys; the focus is on ` +
      `${JSON.stringify((await atspi.focused()).map((n) => `${n.role} ${n.name}`))}\n${appReport()}`);
  }
  for (const direction of ['Down', 'Up']) {
    for (let i = 0; i < 40; i++) {
      if (rowName(row) === name) return row;
      seen.push(rowName(row));
      const before = row.path.join('.');
      const from = row;
      await key(direction);
      row = await waitFor(`the focus to move ${direction.toLowerCase()} from ${rowName(row)}`, async () => {
        const now = await focusedRow();
        return now && now.path.join('.') !== before && now;
      }).catch(() => null);
      if (!row) { row = from; break; } // the last (or first) row: the key goes nowhere
    }
  }
  throw new Error(`no row named ${name} under the arrow keys (passed ${seen.join(', ')})`);
}

// Every push/toggle button on screen must have an accessible name; what
// lacks one is collected per page state and reported together at the end
// of each test. Not ours to name: libadwaita 1.2's toast has an icon-only
// close button with a tooltip but no accessible name.
let unnamed = {};
async function checkNames (state) {
  const missing = (await atspi.unnamedButtons()).filter((where) => !where.includes('AdwToastWidget'));
  if (missing.length > 0) unnamed[state] = missing;
}
function assertAllNamed () {
  assert.deepEqual(unnamed, {}, 'buttons without an accessible name, by page state:\n' +
    Object.entries(unnamed).map(([s, list]) => `  ${s}: ${list.join('; ')}`).join('\n'));
}

// dunst, a real org.freedesktop.Notifications server for X. Notifications
// stay until closed (timeout 0); a rule runs a script on each, which
// appends dunst's DUNST_* description of it to a JSON-lines file.
const notifiedFile = join(session || '/tmp', 'notified.jsonl');
let dunst;
async function startDunst () {
  const script = join(session, 'notified.sh');
  writeFileSync(script, `#!/bin/sh\nexec '${process.execPath}' -e 'require("fs").appendFileSync(process.argv[1], ` +
    `JSON.stringify(Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith("DUNST_")))) + "\\n")' '${notifiedFile}'\n`);
  chmodSync(script, 0o755);
  const config = join(session, 'dunstrc');
  writeFileSync(config, '[global]\n    font = Cantarell 10\n    width = 400\n' +
    '[urgency_low]\n    timeout = 0\n[urgency_normal]\n    timeout = 0\n[urgency_critical]\n    timeout = 0\n' +
    `[record]\n    summary = "*"\n    script = ${script}\n`);
  dunst = spawn('dunst', ['-config', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let dunstLog = '';
  dunst.stderr.on('data', (d) => { dunstLog += d; });
  // Ask the bus, not dunstctl: a call to org.freedesktop.Notifications
  // before dunst owns it would start another dunst by D-Bus activation.
  await waitFor('dunst on the session bus', async () => {
    const { stdout } = await run('gdbus', ['call', '--session', '--dest', 'org.freedesktop.DBus',
      '--object-path', '/org/freedesktop/DBus', '--method', 'org.freedesktop.DBus.NameHasOwner',
      'org.freedesktop.Notifications']);
    if (dunst.exitCode !== null) throw new Error(`dunst exited: ${dunstLog}`);
    return stdout.includes('true');
  });
}

const notified = () => existsSync(notifiedFile)
  ? readFileSync(notifiedFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l))
  : [];
const displayed = async () => Number((await run('dunstctl', ['count', 'displayed'])).stdout.trim());

let atspi;

before(async () => {
  assert.ok(process.env.DISPLAY, 'needs an X display (xvfb-run)');
  sim = await startLab('demo-lab');
  installBrowserHandler();
  await startDunst();
});

after(async () => {
  await stopApp();
  if (dunst && dunst.exitCode === null) dunst.kill('SIGTERM');
  await sim?.stop();
});

test('sign in from the window, walk to the demo BAM, copy a working link, open Chromoscope', async () => {
  try {
    await signInAndWalk();
  } catch (e) {
    await dumpTree('failed');
    console.log(appReport());
    throw e;
  }
});

async function signInAndWalk () {
  atspi = await startApp();
  step('window up');

  // The keyring restore, then the signed-out page.
  await atspi.waitFor({ role: 'push button', name: 'Sign In', state: 'sensitive' });
  await screenshot('signed-out');
  await checkNames('signed out');

  // Should the restore still be running, click again.
  const opened = () => loginUrls(sim).pop();
  for (let i = 0; i < 5 && !opened(); i++) {
    step('Sign In');
    await atspi.click({ role: 'push button', name: 'Sign In' });
    await waitFor('the login page', async () => opened(), 5000).catch(() => null);
  }
  const url = await waitFor('the browser to be asked to open the login page', async () => opened());
  assert.ok(url.startsWith(sim.info.hosted_ui.authorization_endpoint), 'the browser got the hosted login page');
  step('login page opened');
  await atspi.waitFor({ role: 'push button', name: 'Copy Link', within: 'Continue in Your Browser' });
  await screenshot('signing-in');
  step('signing-in page');
  await checkNames('signing in');

  // The hosted login in the "system browser".
  step('signing in');
  await completeHostedLogin(url, sim.info.users[0]);

  const email = sim.info.users[0].email;
  await atspi.waitFor({ role: 'label', text: email, within: 'GkSignedInPage' });
  await atspi.waitFor({ role: 'label', name: '^Credentials valid until .*, renewed automatically$', match: 'regex' });
  const [frame] = await atspi.find({ role: 'frame' });
  assert.ok(frame.name.includes(email), 'the window title names the signed-in user');
  await screenshot('signed-in');
  await checkNames('signed in');
  step('signed in');

  // From the bucket list, through the folders, to the BAM: Tab to a list,
  // arrows to a row, Return to open it.
  const demo = sim.info.demo;
  const folders = demo.bam.split('/');
  const file = folders.pop();
  await tabTo(`the bucket ${demo.bucket}`, (n) => isRow(n) && n.within.includes('Buckets'));
  await arrowTo(demo.bucket);
  await key('Return');
  await atspi.waitFor({ role: 'push button', name: demo.bucket, within: 'Folder path' });
  await tabTo('the file list', (n) => isRow(n) && n.within.includes('Files'));
  for (const folder of folders) {
    await arrowTo(folder);
    await key('Return');
    // The path bar gains the folder; the focus goes to the new listing.
    await atspi.waitFor({ role: 'push button', name: folder, within: 'Folder path' });
    step(`opened ${folder}`);
  }
  await arrowTo(file);
  // A new listing puts the focus on its first row without selecting it
  // (GTK 4.8 does not expose a table row's selection): Ctrl+Space selects
  // it, and the file actions appear. Ctrl+Space toggles, so should a late
  // selection and the key cross, the next round selects again.
  const fileActions = { role: 'push button', name: 'Open in IGV', within: 'GkS3Browser', state: 'sensitive' };
  for (let i = 0; i < 3 && !(await atspi.waitFor(fileActions, 10000).catch(() => null)); i++) {
    await key('ctrl+space');
  }
  await atspi.waitFor(fileActions);
  await screenshot('browser');
  await checkNames('file selected');
  step('file selected');

  // Copy Link copies the file's link and its index's.
  await atspi.click({ role: 'push button', name: 'Copy Link', within: 'GkS3Browser' });
  // The toast saying so stays 5 s.
  const toast = atspi.waitFor({ role: 'label', name: '^Link and index link copied, valid until ', match: 'regex' });
  const copied = await waitFor('a signed link on the clipboard', async () => {
    // The reader is a test tool, not Genokey: under the sanitizers, GTK's
    // one-off allocations at its exit (from modules already unloaded) would
    // fail every read as a leak, and the wait would end with no link.
    const { stdout } = await run(CLIPBOARD_READ, [], {
      env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=0:abort_on_error=1' },
    });
    return stdout.startsWith('http') && stdout;
  });
  await toast;
  await screenshot('link-copied');

  const [link, indexLink] = copied.trim().split('\n');
  assert.ok(link.includes(encodeURI(demo.bam)), 'the link is for the BAM');
  assert.ok(link.includes('X-Amz-Signature='), 'the link is presigned');
  assert.ok(indexLink && indexLink.includes('.bai'), 'the index link comes with it');

  for (const [what, u] of [['BAM', link], ['index', indexLink]]) {
    const r = await fetch(u, { headers: { range: 'bytes=0-3' } });
    assert.ok(r.status === 206 || r.status === 200, `the stand-in accepts the ${what} link (HTTP ${r.status})`);
    const body = Buffer.from(await r.arrayBuffer());
    if (what === 'BAM') assert.equal(body[0], 0x1f, 'the BAM starts as BGZF');
  }
  const accepted = sim.s3Log.filter((e) => e.auth === 'query' && (e.status === 206 || e.status === 200));
  assert.ok(accepted.length >= 2, 'S3 saw both query-signed requests succeed');

  // Add to Chromoscope Set, then Open Set in Chromoscope (which appears
  // in the status line once the set has a file).
  const before = openedUrls().length;
  await atspi.click({ role: 'push button', name: 'Add to Chromoscope Set', within: 'GkS3Browser' });
  await atspi.waitFor({ role: 'push button', name: 'Open Set in Chromoscope', state: 'sensitive' });
  // Chromoscope needs every sample's structural variants: the BEDPE next
  // to the BAM joins the set too (a set without it is refused).
  await tabTo('the file list', (n) => isRow(n) && n.within.includes('Files'));
  await arrowTo(demo.bedpe.split('/').pop());
  const added = atspi.waitFor({ role: 'label', name: '^2 files in the Chromoscope set$', match: 'regex' }, 20000);
  await atspi.click({ role: 'push button', name: 'Add to Chromoscope Set', within: 'GkS3Browser' });
  await added;
  await screenshot('chromoscope-set');
  await checkNames('chromoscope set');
  await atspi.click({ role: 'push button', name: 'Open Set in Chromoscope' });
  const chromoscope = await waitFor('Chromoscope to be opened', async () =>
    openedUrls().slice(before).find((u) => u.startsWith('https://chromoscope.bio/app/')));
  assert.ok(chromoscope.includes('external='), 'Chromoscope gets the config link');
  // The window's gateway serves the config, with gateway links in it:
  // nothing is uploaded, and the links read through the gateway.
  const external = chromoscope.slice(chromoscope.indexOf('external=') + 'external='.length);
  assert.match(external, /^http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]{32}\/config\/[^/]+\.json$/, 'the gateway serves the config');
  const config = await (await fetch(external)).json();
  assert.match(config[0].bam, /^http:\/\/127\.0\.0\.1:\d+\//, 'the BAM is a gateway link');
  const read = await fetch(config[0].bam, { headers: { range: 'bytes=0-3' } });
  assert.equal(read.status, 206);
  assert.equal(Buffer.from(await read.arrayBuffer())[0], 0x1f, 'the BAM starts as BGZF');
  assert.ok(!sim.s3Log.some((e) => e.method === 'PUT'), 'nothing was uploaded');

  assertAllNamed();
}

test('when renewal needs the user, a banner and a notification offer Sign In Again, withdrawn after', async () => {
  // Credentials for 60 s, a refresh token for 20 s: the renewal at ~45 s
  // is refused, so the session needs the user while the credentials in
  // hand still work for a few seconds.
  const shortSim = await startLab('short-lab', { credentialLifetime: 60, refreshTokenLifetime: 20 });
  const banner = { role: 'push button', name: 'Sign In Again' };
  const bannerShown = async () => (await atspi.find(banner)).length > 0;
  const user = shortSim.info.users[0];
  unnamed = {};
  try {
    await stopApp();
    atspi = await startApp();
    // Two labs now: the page shows the lab chooser above the button; the
    // lab imported last is chosen.
    await atspi.waitFor({ role: 'push button', name: 'Sign In', state: 'sensitive' });
    await screenshot('renewal-signed-out');
    for (let i = 0; i < 5 && loginUrls(shortSim).length === 0; i++) {
      await atspi.click({ role: 'push button', name: 'Sign In' });
      await waitFor('the login page', async () => loginUrls(shortSim).length > 0, 5000).catch(() => null);
    }
    await completeHostedLogin(loginUrls(shortSim).pop(), user);
    await atspi.waitFor({ role: 'label', text: user.email, within: 'GkSignedInPage' });
    assert.equal(await bannerShown(), false, 'no banner while renewal works');
    assert.equal(await displayed(), 0, 'no notification while renewal works');

    // 1. The renewal is refused: banner and notification; the
    //    notification's action starts the sign-in.
    step('signed in for renewal');
    await atspi.waitFor(banner, 90000);
    step('renewal needs the user');
    await screenshot('renewal-needs-user');
    await checkNames('renewal needs the user');
    const notification = await waitFor('the Sign In Again notification', async () =>
      notified().find((n) => n.DUNST_SUMMARY === 'Sign In Again to Keep Working'));
    assert.equal(notification.DUNST_APP_NAME, 'Genokey', 'the notification names the application');
    assert.match(notification.DUNST_BODY, /sign in/i, 'the body says what to do');
    assert.ok(await displayed() >= 1, 'dunst shows it');
    await screenshot('renewal-notification');

    let count = loginUrls(shortSim).length;
    step('notified');
    // dunst's "do_action, close_current" (its middle click): GLib forgets
    // a notification once its action is invoked, so the server closes it.
    await run('dunstctl', ['action', '0']);
    await run('dunstctl', ['close']);
    await waitFor('the notification\'s action to open the login page', async () => loginUrls(shortSim).length > count);
    await completeHostedLogin(loginUrls(shortSim).pop(), user);
    await waitFor('the banner to go away', async () => !(await bannerShown()));
    await waitFor('the notifications to be withdrawn', async () => (await displayed()) === 0, 30000);
    await screenshot('renewal-resolved');

    // 2. The next refused renewal notifies again; this time the banner's
    //    Sign In Again is used, and Genokey itself withdraws what it sent.
    const sent = notified().length;
    step('signed in again');
    await atspi.waitFor(banner, 90000);
    step('renewal needs the user again');
    await waitFor('the notification again', async () => notified().length > sent);
    assert.ok(await displayed() >= 1, 'dunst shows it again');
    count = loginUrls(shortSim).length;
    await atspi.click(banner);
    await waitFor('the login page again', async () => loginUrls(shortSim).length > count);
    await completeHostedLogin(loginUrls(shortSim).pop(), user);
    await waitFor('the banner to go away', async () => !(await bannerShown()));
    await waitFor('Genokey to withdraw the notification', async () => (await displayed()) === 0, 30000);
    const history = JSON.parse((await run('dunstctl', ['history'])).stdout);
    assert.ok(history.data[0].some((n) => n.summary?.data === 'Sign In Again to Keep Working'),
      'the withdrawn notification went to dunst\'s history');
    assertAllNamed();
  } catch (e) {
    await dumpTree('renewal-failed');
    console.log(appReport());
    throw e;
  } finally {
    await stopApp();
    await shortSim.stop();
  }
});
