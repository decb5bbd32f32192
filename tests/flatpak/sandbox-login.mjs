// Sign-in, signed links and IGV from inside the Flatpak sandbox, against the
// local AWS stand-in on the host's loopback. Run by flatpak-sandbox.test.mjs
// under xvfb-run (xdg-desktop-portal-gtk, which provides the portal's
// AppChooser backend and so its OpenURI interface, needs a display) and
// inside tests/integration/keyring-session.sh (a private D-Bus session, an
// unlocked gnome-keyring "login" collection, a throw-away HOME), with
// XDG_CURRENT_DESKTOP=GNOME so that xdg-desktop-portal picks gnome-keyring's
// Secret portal backend, and FLATPAK_USER_DIR at the installation.
//
//   node sandbox-login.mjs APP_ID [ARTIFACTS_DIR]
//
// Steps: `genokey login` opens the sign-in page through the OpenURI portal,
// which starts the host's default browser (a test handler that records the
// link; headless Chromium then signs in); `login --no-browser`; the refresh
// token in the app's own keyring (Secret portal); `status` and `presign` in
// new sandbox processes; the window started with `flatpak run` shows the
// signed-in view (screenshot flatpak-window-signed-in.png in ARTIFACTS_DIR),
// and its Open in IGV with no IGV running saves the session through the
// FileChooser portal (xdg-desktop-portal-gtk's dialog, answered with
// xdotool) at a host path;
// `genokey igv` sends the demo BAM to a real IGV on
// the host over its batch port (started at the beginning, in parallel);
// with no IGV on the port, the session file is saved under the app's folder
// and the message names that path, which the host can open.
//
// Prints one line per step ("ok …" or "FAIL …") and exits non-zero on the
// first failure. Never prints a token, a secret or a signed link.
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync, closeSync, copyFileSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync,
  statSync, writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { startStandIn } from '../aws-sim/index.mjs';
import { launchChromium } from '../integration/lib/chromium.mjs';
import { completeLogin } from '../integration/lib/hosted-login.mjs';
import {
  freePort, makeIgvHome, removeHome, startIgv, stopIgv, waitForIgv,
} from '../integration/lib/igv.mjs';

const appId = process.argv[2] || 'io.github.genokey.Genokey';
const appDir = join(homedir(), '.var', 'app', appId); // the app's own, visible inside
const sessionDir = process.env.GK_TEST_SESSION_DIR;
const t0 = Date.now();
const secs = () => ((Date.now() - t0) / 1000).toFixed(1);
const step = (msg) => console.log(`ok [${secs()} s] ${msg}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A sandbox process that does not finish in time is stopped and the step
// FAILS: nothing is run again. (With libsecret before 0.21.4, as in Debian
// 12, about 1 in 8 calls hung on the Secret portal, GNOME/libsecret#58; the
// test runtime now has 0.21.7, as the GNOME runtime has a fixed one, and a
// hang must not pass unnoticed.)
class Hang extends Error {}
let processes = 0;

/** `flatpak run --command=genokey APP args…`; resolves { code, stdout, stderr, hung }. */
function genokey (args, { onStdout, timeout = 10 } = {}) {
  let kill;
  processes++;
  const done = new Promise((resolve, reject) => {
    const child = spawn('flatpak', ['run', '--command=genokey', appId, ...args],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let hung = false;
    child.stdout.on('data', (d) => { stdout += d; onStdout?.(stdout); });
    child.stderr.on('data', (d) => { stderr += d; });
    // flatpak run leaves the sandbox (bwrap) behind when killed: stop both.
    kill = () => {
      hung = true;
      spawnSync('flatpak', ['kill', appId], { stdio: 'ignore' });
      child.kill('SIGTERM');
    };
    const timer = setTimeout(kill, timeout * 1000);
    child.on('error', reject);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr, hung }); });
  });
  done.kill = () => kill();
  return done;
}

/** Throws unless @r exited 0: Hang when it had to be stopped. */
function expectOk (r, what) {
  if (r.hung) throw new Hang(`${what} in the sandbox hung`);
  if (r.code !== 0) throw new Error(`${what} in the sandbox exited ${r.code}: ${r.stderr.trim()}`);
  return r;
}

/** Runs @fn once; a sandbox process in it that hung fails the step, with what hung and why it matters. */
async function failOnHang (what, fn) {
  try {
    return await fn();
  } catch (e) {
    if (!(e instanceof Hang)) throw e;
    throw new Error(`${what}: ${e.message} and was stopped. A sandboxed genokey must not hang; ` +
      'if the Secret portal answered before libsecret listened (GNOME/libsecret#58), ' +
      'the runtime\'s libsecret is older than 0.21.4');
  }
}

function assertNoSecrets (what, text) {
  if (/X-Amz-Signature|X-Amz-Security-Token|X-Amz-Credential/i.test(text)) {
    throw new Error(`${what} printed a signed link`);
  }
}

// The host's default web browser, as xdg-desktop-portal finds it: a desktop
// file in the host's XDG_DATA_HOME and the user's choice in mimeapps.list.
// For http(s) links the portal (1.16, src/open-uri.c) skips its app chooser
// when a default handler exists, and starts it on the host. The handler only
// records the link; the test then opens it in headless Chromium.
const openedFile = join(sessionDir, 'browser-opened.txt');
function installBrowserHandler () {
  const dataHome = process.env.XDG_DATA_HOME;
  const configHome = process.env.XDG_CONFIG_HOME;
  if (!dataHome || !configHome || !sessionDir) throw new Error('run inside keyring-session.sh');
  const script = join(sessionDir, 'browser.sh');
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
const openedUrls = () => existsSync(openedFile)
  ? readFileSync(openedFile, 'utf8').split('\n').filter(Boolean) : [];

/** Polls @fn until it returns something truthy. */
async function waitFor (what, fn, timeout = 60_000) {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - start > timeout) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/**
 * Waits until nothing on this machine listens on the sign-in port (another
 * program's sign-in, or a test run outside meson that holds it).
 */
async function signInPortFree () {
  await waitFor('port 60151 to be free', () => new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(60151, '127.0.0.1', () => probe.close(() => resolve(true)));
  }), 180_000);
}

/** The refresh token's keyring file in the app's own folder (Secret portal). */
function keyringFiles () {
  const keyrings = join(appDir, 'data', 'keyrings');
  const files = existsSync(keyrings) ? readdirSync(keyrings) : [];
  if (!files.some((f) => f.endsWith('.keyring') && statSync(join(keyrings, f)).size > 0)) {
    throw new Error(`no keyring file in ${keyrings} (found: ${files.join(', ') || 'nothing'})`);
  }
  return `${keyrings}/${files.join(', ')}`;
}

const artifacts = process.argv[3] || join(process.env.GK_BUILD_ROOT || '.', 'test-artifacts');
const windowPng = join(artifacts, 'flatpak-window-signed-in.png');

/**
 * Starts the window with `flatpak run` on this display, waits until its
 * title names @email (the signed-in view), saves a screenshot and stops it.
 */
async function signedInWindow (email, whileOpen) {
  mkdirSync(artifacts, { recursive: true });
  rmSync(windowPng, { force: true });
  const logPath = join(artifacts, 'flatpak-window-signed-in.log');
  const out = openSync(logPath, 'w');
  const app = spawn('flatpak', ['run', appId], { stdio: ['ignore', out, out] });
  const xdotool = (...args) => spawnSync('xdotool', args, { encoding: 'utf8' });
  try {
    const ids = await waitFor('the window', () => {
      const found = xdotool('search', '--onlyvisible', '--name', 'Genokey').stdout.split('\n').filter(Boolean);
      return found.length ? found : null;
    }, 60_000)
      .catch(() => { throw new Error(`no window within 60 s after flatpak run (${readFileSync(logPath, 'utf8').trim()})`); });
    let title = '';
    await waitFor('the signed-in view', () => ids.some((id) => {
      title = xdotool('getwindowname', id).stdout.trim();
      return title.includes(email);
    }), 30_000).catch(() => {
      throw new Error(`the window did not restore the sign-in within 30 s (title: ${title}; ` +
        `log: ${readFileSync(logPath, 'utf8').trim()})`);
    });
    // The view's first frames: the bucket list may still be loading (a
    // spinner on white, a small PNG) on a busy machine; wait for content.
    await waitFor('a screenshot of the signed-in view with its content', () => {
      const shot = spawnSync('import', ['-window', 'root', windowPng]);
      return shot.status === 0 && statSync(windowPng).size >= 20000;
    }, 30_000).catch(() => { throw new Error('no screenshot of the signed-in window with its content'); });
    await whileOpen?.(ids, xdotool);
  } finally {
    spawnSync('flatpak', ['kill', appId], { stdio: 'ignore' });
    app.kill('SIGTERM');
    closeSync(out);
  }
}

// The FileChooser portal answers with a document-portal path under its own
// XDG_RUNTIME_DIR, which the sandbox sees at /run/user/<uid>: with
// GK_TEST_RUNTIME_DIR (that directory, private to this test) the portals
// started from now on and flatpak use it instead of keyring-session.sh's.
if (process.env.GK_TEST_RUNTIME_DIR) {
  process.env.XDG_RUNTIME_DIR = process.env.GK_TEST_RUNTIME_DIR;
  const up = spawnSync('dbus-update-activation-environment', [`XDG_RUNTIME_DIR=${process.env.XDG_RUNTIME_DIR}`]);
  if (up.status !== 0) throw new Error('dbus-update-activation-environment failed');
}

const sim = await startStandIn({});
let browser;
let igv;
let igvStarted;
try {
  const user = sim.info.users[0];
  const { bucket, bam, bai, local_dir: localDir } = sim.info.demo;

  // Real IGV on the host, on a port of its own (the sign-in listener holds
  // 60151 while a login waits): it starts (~5 s) while the sign-in runs.
  let igvPort;
  do igvPort = await freePort(); while (igvPort === 60151);
  igv = { port: igvPort, ...makeIgvHome({ port: igvPort, genomePath: join(localDir, 'ref.fa') }) };
  startIgv(igv);
  igvStarted = Date.now();

  installBrowserHandler();

  // The profile file goes where the sandbox can read it: the app's own dir.
  mkdirSync(appDir, { recursive: true });
  const profileCopy = join(appDir, 'oauth-config.json');
  copyFileSync(sim.info.profile_file, profileCopy);
  await failOnHang('the import', async () =>
    expectOk(await genokey(['profile', 'import', profileCopy, '--name', 'demo']), 'profile import'));
  step('profile imported inside the sandbox');

  // The gateway's port, in the app's own settings (GSettings keeps them in
  // a key file inside Flatpak): a free one, so no other test's gateway is in
  // the way.
  let gatewayPort;
  do gatewayPort = await freePort(); while (gatewayPort === 60151 || gatewayPort === igvPort);
  mkdirSync(join(appDir, 'config', 'glib-2.0', 'settings'), { recursive: true });
  writeFileSync(join(appDir, 'config', 'glib-2.0', 'settings', 'keyfile'),
    `[${appId.replace(/\./g, '/')}]\ngateway-port=uint16 ${gatewayPort}\n`);
  // The service D-Bus starts gets the bus's environment, where the test
  // drivers' GSETTINGS_BACKEND=memory would hide that key file: the sandbox
  // keeps its settings in the key file, as Flatpak apps do.
  const activation = spawnSync('dbus-update-activation-environment', ['GSETTINGS_BACKEND=keyfile'],
    { encoding: 'utf8' });
  if (activation.status !== 0) throw new Error(`dbus-update-activation-environment: ${activation.stderr}`);

  // 1. genokey login opens the sign-in page with the default handler: in
  // the sandbox GLib asks the OpenURI portal, which starts the host's
  // browser handler. Chromium on the host completes the hosted login and is
  // sent back to the listener on localhost:60151 inside the sandbox (same
  // network namespace).
  browser = await launchChromium();
  let r = await failOnHang('the sign-in', async () => {
    await signInPortFree();
    const seen = openedUrls().length;
    const login = genokey(['login', '--profile', 'demo'], { timeout: 45 });
    let result;
    login.then((res) => { result = res; });
    const link = await waitFor('the OpenURI portal to start the host browser', async () => {
      if (result) expectOk(result, 'login');
      if (result) throw new Error('login exited 0 before the browser was opened');
      return openedUrls().slice(seen).find((u) => u.startsWith(sim.info.hosted_ui.authorization_endpoint));
    }, 30_000).catch((e) => {
      if (result || !/timed out/.test(e.message)) throw e;
      login.kill();
      throw new Hang('login hung before opening the browser');
    });
    step('genokey login in the sandbox opened the sign-in page in the host browser (OpenURI portal)');
    const page = await browser.context.newPage();
    await page.goto(link);
    await page.fill('input[name=username]', user.username);
    await page.fill('input[name=password]', user.password);
    await Promise.all([
      page.waitForURL(/^http:\/\/(localhost|127\.0\.0\.1):60151\//, { timeout: 60_000 }),
      page.click('button[type=submit]'),
    ]);
    await page.close();
    step('Chromium on the host signed in and was sent back to the sandbox');
    return expectOk(await login, 'login');
  });
  if (!/browser window that opened/.test(r.stderr)) {
    throw new Error(`login did not say it opened the browser: ${r.stderr.trim()}`);
  }
  if (/^https?:\/\//m.test(r.stdout)) throw new Error('login printed the link although the browser opened');
  if (!/Signed in as/.test(r.stdout)) throw new Error('login did not say it signed in');
  if (/memory/i.test(r.stderr)) throw new Error(`login kept the secrets in memory only: ${r.stderr.trim()}`);
  // The AWS CLI runs on the host: the credential_process line must go
  // through flatpak run, not the sandbox's own path.
  const line = `credential_process = flatpak run --command=genokey ${appId} credential-process --profile demo`;
  if (!r.stderr.split('\n').some((l) => l.trim() === line))
    throw new Error(`login did not give the Flatpak credential_process line: ${r.stderr.trim()}`);
  step(`genokey login exited 0 (${r.stdout.trim().split('\n').pop().replace(/ — .*/, '')})`);

  // libsecret inside Flatpak stores into the app's own keyring file, whose
  // key comes from the Secret portal (gnome-keyring).
  step(`refresh token stored in the app's portal keyring (${keyringFiles()})`);

  // 2. login --no-browser prints the link on stdout instead (for a sandbox
  // without the portal, or a browser on another machine).
  await failOnHang('the --no-browser sign-in', async () => {
    await signInPortFree();
    let printed;
    const printedPromise = new Promise((resolve) => { printed = resolve; });
    const login = genokey(['login', '--profile', 'demo', '--no-browser'], {
      timeout: 20,
      onStdout: (out) => {
        const m = /^(https?:\/\/\S+)$/m.exec(out);
        if (m) printed(m[1]);
      },
    });
    const link = await Promise.race([
      printedPromise,
      login.then((res) => expectOk(res, 'login --no-browser')).then(() => {
        throw new Error('login --no-browser exited before printing a link');
      }),
    ]);
    const opened = openedUrls().length;
    const back = await completeLogin(link, user);
    if (back.status !== 200) throw new Error(`the listener in the sandbox answered ${back.status}`);
    expectOk(await login, 'login --no-browser');
    if (openedUrls().length !== opened) throw new Error('login --no-browser opened a browser');
  });
  step(`genokey login --no-browser exited 0 (${keyringFiles()})`);

  // A new process in the sandbox restores the sign-in from that keyring.
  r = await failOnHang('status', async () =>
    expectOk(await genokey(['status', '--profile', 'demo', '--json']), 'status'));
  const status = JSON.parse(r.stdout);
  if (status.state !== 'signed-in') {
    throw new Error(`status in a new sandbox process says ${status.state}`);
  }
  if (status.email !== user.email) throw new Error(`status says signed in as ${status.email}`);
  if (status.keyring !== 'secret-service') throw new Error(`status says the keyring is ${status.keyring}`);
  step(`a new sandbox process restores the sign-in from the keyring (${status.state}, ${status.email})`);

  // The window, started with `flatpak run`, restores the same sign-in: its
  // title names the user once the signed-in view shows.
  await signInPortFree(); // nothing on IGV's default port either
  const savedFromWindow = join(homedir(), 'igv-session-from-window.xml');
  await signedInWindow(user.email, async (ids, xdotool) => {
    step(`the window started with flatpak run restores the sign-in (title names ${user.email}; ${basename(windowPng)})`);
    // Open in IGV from the window with no IGV running: inside Flatpak it
    // cannot start IGV, so it offers to save the session through the
    // FileChooser portal (xdg-desktop-portal-gtk's dialog on this display).
    // Mouse clicks at the positions of the 1280×800 screenshot's layout.
    const click = (x, y, n = 1) => xdotool('mousemove', '--sync', String(x), String(y), 'click', '--repeat', String(n), '--delay', '80', '1');
    // Each folder, then the BAM: filter the list to its name and activate
    // the first row (a BAM's activation is Open in IGV).
    const name = bam.split('/').pop();
    // A click while the folder still loads is lost: the BAM's row is
    // activated again until the dialog shows (3 times at most).
    const findDialog = () =>
      xdotool('search', '--onlyvisible', '--name', 'Save the Session for IGV').stdout.split('\n').filter(Boolean)[0];
    const parts = bam.split('/');
    let dialog;
    for (const [i, part] of parts.entries()) {
      click(800, 132); // Filter Files
      xdotool('key', 'ctrl+a');
      xdotool('type', '--delay', '30', part);
      await sleep(2000);
      for (let attempt = 0; attempt < (i === parts.length - 1 ? 3 : 1) && !dialog; attempt++) {
        click(280, 196, 2);
        await sleep(2000);
        // Signing, trying the links through the gateway and finding that
        // IGV cannot start here take a while on a loaded machine.
        if (i === parts.length - 1) dialog = await waitFor('the Save Session dialog', findDialog, 30_000).catch(() => null);
      }
    }
    if (!dialog) {
      spawnSync('import', ['-window', 'root', join(artifacts, 'flatpak-window-no-dialog.png')]);
      throw new Error('no FileChooser portal dialog after Open in IGV in the window (flatpak-window-no-dialog.png)');
    }
    xdotool('windowfocus', '--sync', dialog);
    await sleep(1000);
    spawnSync('import', ['-window', 'root', join(artifacts, 'flatpak-window-save-session.png')]);
    xdotool('key', 'ctrl+a');
    xdotool('type', '--delay', '20', savedFromWindow);
    await sleep(500);
    xdotool('key', 'Return');
    const xml = await waitFor(`the session file at ${savedFromWindow}`, () =>
      existsSync(savedFromWindow) && readFileSync(savedFromWindow, 'utf8'), 30_000);
    if (!xml.includes(name) || !xml.includes('.bai')) {
      throw new Error('the session saved through the FileChooser portal does not hold the BAM and its index');
    }
    await sleep(1000);
    spawnSync('import', ['-window', 'root', join(artifacts, 'flatpak-window-session-saved.png')]);
    step(`Open in IGV in the window with no IGV: saved the session through the FileChooser portal at ${savedFromWindow.replace(homedir(), '~')} (flatpak-window-save-session.png, flatpak-window-session-saved.png)`);
  });

  // Credentials for presign come from that keyring too.
  let before = sim.s3Log.length;
  r = await failOnHang('presign', async () =>
    expectOk(await genokey(['presign', '--profile', 'demo', `s3://${bucket}/${bam}`]), 'presign'));
  const url = r.stdout.trim().split('\n').pop();
  if (!/^https?:\/\//.test(url)) throw new Error('presign printed no link');
  step('genokey presign printed a link');

  const res = await fetch(url);
  const body = Buffer.from(await res.arrayBuffer());
  const entry = sim.s3Log.slice(before).find((e) => e.key === bam);
  if (res.status !== 200) throw new Error(`the stand-in answered ${res.status} to the link (${entry?.error || ''})`);
  if (entry?.auth !== 'query') throw new Error('the stand-in did not see a presigned request');
  const local = readFileSync(join(localDir, bam.split('/').pop()));
  if (!body.equals(local)) throw new Error('the link returned other bytes than the demo BAM');
  step(`the stand-in accepted the link from the sandbox (${body.length} bytes of ${bam.split('/').pop()})`);

  // Gateway links: `genokey link` in the sandbox asks the app's gateway
  // over D-Bus, which starts the app's exported service (in the sandbox);
  // the host reads through it, on the shared loopback.
  before = sim.s3Log.length;
  r = await failOnHang('genokey link', async () =>
    expectOk(await genokey(['link', '--profile', 'demo', '--with-index', `s3://${bucket}/${bam}`], { timeout: 120 }),
      'link'));
  const [gatewayLink, gatewayIndex] = r.stdout.trim().split('\n');
  if (!gatewayLink?.startsWith(`http://127.0.0.1:${gatewayPort}/`) || !gatewayIndex?.endsWith('.bai')) {
    const status = await genokey(['gateway', 'status', '--json']);
    throw new Error(`genokey link printed no gateway links for port ${gatewayPort} ` +
      `(${r.stderr.trim()}); the gateway's status: ${status.stdout.trim()}`);
  }
  const part = await fetch(gatewayLink, { headers: { Range: 'bytes=0-99' } });
  const partBody = Buffer.from(await part.arrayBuffer());
  if (part.status !== 206 || !partBody.equals(local.subarray(0, 100))) {
    throw new Error(`the gateway in the sandbox answered ${part.status} with other bytes than the BAM's first 100`);
  }
  if (!sim.s3Log.slice(before).some((e) => e.key === bam && e.auth === 'header' && e.status === 206)) {
    throw new Error('the stand-in saw no request signed by the gateway');
  }
  r = await failOnHang('genokey gateway status', async () =>
    expectOk(await genokey(['gateway', 'status', '--json']), 'gateway status'));
  const gatewayStatus = JSON.parse(r.stdout);
  if (!gatewayStatus.running || gatewayStatus.port !== gatewayPort || !gatewayStatus.profiles.includes('demo')) {
    throw new Error(`genokey gateway status in the sandbox: ${r.stdout.trim()}`);
  }
  step(`genokey link in the sandbox started the app's service over D-Bus; the host read the BAM through its gateway on port ${gatewayPort}`);

  // 3. genokey igv in the sandbox reaches the host's IGV over its port and
  // IGV reads the BAM and its index through the signed links.
  const waited = await waitForIgv(igvPort, { timeout: 120_000 });
  step(`IGV on the host answers on port ${igvPort} (${((Date.now() - igvStarted) / 1000).toFixed(1)} s after its start, ${(waited / 1000).toFixed(1)} s waited here)`);
  before = sim.s3Log.length;
  r = await failOnHang('genokey igv', async () =>
    expectOk(await genokey(['igv', '--profile', 'demo', '--port', String(igvPort), `s3://${bucket}/${bam}`],
      { timeout: 30 }), 'igv'));
  assertNoSecrets('genokey igv', r.stdout + r.stderr);
  if (!new RegExp(`Sent 1 track to IGV on port ${igvPort}`).test(r.stderr)) {
    throw new Error(`genokey igv did not say it sent the track: ${r.stderr.trim()}`);
  }
  const reads = await waitFor('IGV to read the BAM and its index', async () => {
    const log = sim.s3Log.slice(before).filter((e) => e.method === 'GET' && e.range !== 'bytes=0-0');
    const bamReads = log.filter((e) => e.key === bam);
    const baiReads = log.filter((e) => e.key === bai);
    return bamReads.some((e) => e.status === 206) && baiReads.some((e) => [200, 206].includes(e.status))
      ? [...bamReads, ...baiReads] : null;
  }, 60_000);
  for (const e of reads) {
    if (e.auth !== 'header') throw new Error(`IGV read ${e.key} other than through the gateway`);
    if (![200, 206, 416].includes(e.status)) throw new Error(`IGV's read of ${e.key} got ${e.status} (${e.error})`);
  }
  step(`IGV on the host read the BAM (${reads.filter((e) => e.key === bam).length} range GETs) and its index through the sandboxed gateway's links`);

  // 4. No IGV on the port: the sandbox cannot start the host's IGV, so the
  // session is saved under the app's folder, which the host sees at the
  // same path, and the message says where and how to open it.
  let idle;
  do idle = await freePort(); while (idle === 60151 || idle === igvPort);
  r = await failOnHang('genokey igv without IGV', async () => {
    const res = await genokey(['igv', '--profile', 'demo', '--port', String(idle), `s3://${bucket}/${bam}`]);
    if (res.hung) throw new Hang('igv without IGV in the sandbox hung');
    return res;
  });
  assertNoSecrets('genokey igv without IGV', r.stdout + r.stderr);
  if (r.code === 0) throw new Error('genokey igv without IGV exited 0');
  const saved = /session file (\/\S+\.xml)/.exec(r.stderr)?.[1];
  if (!saved) throw new Error(`genokey igv named no session file: ${r.stderr.trim()}`);
  if (!saved.startsWith(appDir + '/')) throw new Error(`the session file ${saved} is not under ${appDir}`);
  if (!existsSync(saved)) throw new Error(`the session file ${saved} is not on the host`);
  const xml = readFileSync(saved, 'utf8');
  if (!xml.includes(bam.split('/').pop()) || !xml.includes('.bai')) {
    throw new Error('the saved session does not hold the BAM and its index');
  }
  if (!xml.includes(`path="http://127.0.0.1:${gatewayPort}/`)) {
    throw new Error('the saved session does not hold gateway links');
  }
  if (!/File › Open Session/.test(r.stderr) || !/Flatpak/.test(r.stderr)) {
    throw new Error(`genokey igv did not say how to open the session: ${r.stderr.trim()}`);
  }
  step(`with no IGV running, the session was saved at a host path (${saved.replace(homedir(), '~')}) and the message says how to open it`);
  console.log(`ok [${secs()} s] done: ${processes} genokey processes in the sandbox, none hung`);
} catch (e) {
  console.log(`FAIL [${secs()} s] ${e.message}`);
  process.exitCode = 1;
} finally {
  // The app's service keeps serving while signed in: stop it.
  spawnSync('flatpak', ['kill', appId], { stdio: 'ignore' });
  await browser?.close();
  if (igv) {
    await stopIgv(igv);
    removeHome(igv.home);
  }
  await sim.stop();
}
