// The window end to end, as a lab member uses it: import the lab's profile,
// click Sign in, finish the hosted login in "the system browser" (headless
// Chromium, reached through a test default-browser handler), see the
// signed-in user, open the demo BAM, Copy link, and check the link works.
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
import { decodePng } from './lib/igv.mjs';

const run = promisify(execFile);
const GENOKEY = process.env.GENOKEY;
const BUILD = process.env.GK_BUILD_ROOT;
const ARTIFACTS = join(BUILD, 'test-artifacts');
const CLIPBOARD_READ = join(BUILD, 'tests', 'gk-test-clipboard-read');
const APP_ID = process.env.GK_APP_ID || 'io.github.genokey.Genokey';

let sim;
let app;
let appLog = '';
const session = process.env.GK_TEST_SESSION_DIR;
const openedFile = join(session || '/tmp', 'opened-urls.txt');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor (what, fn, timeoutMs = 20000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn().catch(() => undefined);
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n--- genokey log ---\n${appLog}`);
    await sleep(150);
  }
}

// The whole screen (no window manager here, so no decorations to lose).
async function screenshot (name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await run('import', ['-window', 'root', join(ARTIFACTS, `e2e-${name}.png`)]);
}

async function windowName (id) {
  return (await run('xdotool', ['getwindowname', id])).stdout.trim();
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


// Completes the hosted login that the window asked "the browser" to open.
async function completeHostedLogin (url, user) {
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    await page.goto(url);
    await page.fill('input[name=username]', user.username);
    await page.fill('input[name=password]', user.password);
    await Promise.all([
      page.waitForURL(/localhost:60151|127\.0\.0\.1:60151/, { timeout: 20000 }),
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

// The renewal banner sits right under the header bar, tinted with the
// warning colour; the account bar there is otherwise neutral grey.
async function bannerShown (name) {
  const file = join(ARTIFACTS, `e2e-${name}.png`);
  await screenshot(name);
  const png = decodePng(readFileSync(file));
  let warm = 0;
  for (let x = 20; x < 900; x += 10) {
    const i = (65 * png.width + x) * png.bpp;
    const [r, g, b] = png.pixels.subarray(i, i + 3);
    if (r - b > 12) warm++;
  }
  return warm > 40;
}

before(async () => {
  assert.ok(process.env.DISPLAY, 'needs an X display (xvfb-run)');
  sim = await startStandIn({});
  installBrowserHandler();
  await run(GENOKEY, ['profile', 'import', sim.info.profile_file, '--name', 'demo-lab']);
});

after(async () => {
  if (app && app.exitCode === null) app.kill('SIGTERM');
  await sim?.stop();
});

test('sign in from the window, open the demo BAM and copy a working link', async () => {
  // GENOKEY_BENCH marks the first frame on stderr: the first start in a
  // fresh session waits seconds for D-Bus services, and keys pressed
  // before the window draws are lost.
  app = spawn(GENOKEY, [], { env: { ...process.env, GENOKEY_BENCH: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  app.stdout.on('data', (d) => { appLog += d; });
  app.stderr.on('data', (d) => { appLog += d; });

  const id = await waitFor('the Genokey window', async () => {
    const r = await run('xdotool', ['search', '--onlyvisible', '--name', '^Genokey$']);
    return r.stdout.trim().split('\n')[0];
  });
  await waitFor('the first frame', async () => appLog.includes('first-frame'), 60000);
  await sleep(2000); // the keyring restore, then the signed-out page
  await screenshot('signed-out');

  // Click Sign In as a user would (the pill button in the middle of the
  // 960×680 window; nothing moves it without a window manager). Should the
  // restore still be running, click again.
  const opened = () => loginUrls(sim).pop();
  for (let i = 0; i < 5 && !opened(); i++) {
    await run('xdotool', ['mousemove', '--window', id, '480', '459', 'click', '1']);
    await waitFor('the login page', async () => opened(), 5000).catch(() => null);
  }
  const url = await waitFor('the browser to be asked to open the login page', async () => opened());
  assert.ok(url.startsWith(sim.info.hosted_ui.authorization_endpoint), 'the browser got the hosted login page');
  await sleep(500);
  await screenshot('signing-in');

  // The hosted login in the "system browser".
  await completeHostedLogin(url, sim.info.users[0]);

  const email = sim.info.users[0].email;
  await waitFor('the window to show the signed-in user', async () =>
    (await windowName(id)).includes(email));
  await sleep(1500);
  await screenshot('signed-in');

  // Open the demo BAM's folder with the file selected.
  const demo = sim.info.demo;
  const logBefore = sim.s3Log.length;
  await run('gdbus', ['call', '--session', '--dest', APP_ID,
    '--object-path', '/' + APP_ID.replace(/\./g, '/'),
    '--method', 'org.gtk.Actions.Activate', 'show-location',
    `[<'s3://${demo.bucket}/${demo.bam}'>]`, '{}']);
  await waitFor('the listing of the BAM\'s folder', async () =>
    sim.s3Log.slice(logBefore).some((e) => e.method === 'GET' && e.bucket === demo.bucket &&
      e.status === 200 && !e.key));
  await sleep(1500);
  await screenshot('browser');

  // Copy link with its index (Ctrl+Shift+C, as in the shortcuts window).
  await run('xdotool', ['key', 'ctrl+shift+c']);
  const copied = await waitFor('a signed link on the clipboard', async () => {
    const { stdout } = await run(CLIPBOARD_READ);
    return stdout.startsWith('http') && stdout;
  });
  await sleep(300);
  await screenshot('link-copied');

  const [link, indexLink] = copied.trim().split('\n');
  assert.ok(link.includes(encodeURI(demo.bam).replace(/\//g, '/')), 'the link is for the BAM');
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

  // Add to Chromoscope Set (action bar), then Open Set in Chromoscope (the
  // status line's right end): clicked where a 960×680 window has them.
  const before = openedUrls().length;
  await run('xdotool', ['mousemove', '--window', id, '429', '630', 'click', '1']);
  await sleep(800);
  await screenshot('chromoscope-set');
  await run('xdotool', ['mousemove', '--window', id, '860', '663', 'click', '1']);
  const chromoscope = await waitFor('Chromoscope to be opened', async () =>
    openedUrls().slice(before).find((u) => u.startsWith('https://chromoscope.bio/app/')));
  assert.ok(chromoscope.includes('external='), 'Chromoscope gets the signed config link');
  assert.ok(sim.s3Log.some((e) => e.method === 'PUT' && e.bucket === demo.bucket && e.status === 200),
    'the config was uploaded next to the data');
});

test('when renewal needs the user, a banner offers Sign In Again and goes away after', async () => {
  // Credentials for 60 s, a refresh token for 20 s: the renewal at ~45 s
  // is refused, so the session needs the user while the credentials in
  // hand still work for a few seconds.
  const shortSim = await startStandIn({ credentialLifetime: 60, refreshTokenLifetime: 20 });
  const logLength = appLog.length;
  let shortApp;
  try {
    await run(GENOKEY, ['profile', 'import', shortSim.info.profile_file, '--name', 'short-lab']);
    if (app && app.exitCode === null) { app.kill('SIGTERM'); await new Promise((r) => app.on('exit', r)); }
    shortApp = spawn(GENOKEY, [], { env: { ...process.env, GENOKEY_BENCH: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    app = shortApp;
    shortApp.stderr.on('data', (d) => { appLog += d; });
    const id = await waitFor('the Genokey window', async () => {
      const r = await run('xdotool', ['search', '--onlyvisible', '--name', 'Genokey$']);
      return r.stdout.trim().split('\n')[0];
    });
    await waitFor('the first frame', async () => appLog.slice(logLength).includes('first-frame'), 60000);
    await sleep(2000);
    // Two labs now: the page shows the lab chooser above the button.
    await screenshot('renewal-signed-out');
    for (let i = 0; i < 5 && loginUrls(shortSim).length === 0; i++) {
      await run('xdotool', ['mousemove', '--window', id, '480', '504', 'click', '1']);
      await waitFor('the login page', async () => loginUrls(shortSim).length > 0, 5000).catch(() => null);
    }
    await completeHostedLogin(loginUrls(shortSim).pop(), shortSim.info.users[0]);
    const email = shortSim.info.users[0].email;
    await waitFor('the signed-in user', async () => (await windowName(id)).includes(email));
    await sleep(1000);
    assert.equal(await bannerShown('renewal-before'), false, 'no banner while renewal works');

    await waitFor('the renewal-needs-you banner', async () => bannerShown('renewal-needs-user'), 90000);

    // Click the banner's Sign In Again.
    const count = loginUrls(shortSim).length;
    await run('xdotool', ['mousemove', '--window', id, '875', '75', 'click', '1']);
    await waitFor('the login page again', async () => loginUrls(shortSim).length > count);
    await completeHostedLogin(loginUrls(shortSim).pop(), shortSim.info.users[0]);
    await waitFor('the banner to go away', async () => !(await bannerShown('renewal-resolved')), 30000);
  } finally {
    if (shortApp && shortApp.exitCode === null) shortApp.kill('SIGTERM');
    await shortSim.stop();
  }
});
