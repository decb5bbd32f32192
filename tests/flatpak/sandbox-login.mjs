// Sign-in and a signed link from inside the Flatpak sandbox, against the
// local AWS stand-in on the host's loopback. Run by flatpak-sandbox.test.mjs
// inside tests/integration/keyring-session.sh (a private D-Bus session, an
// unlocked gnome-keyring "login" collection, a throw-away HOME), with
// XDG_CURRENT_DESKTOP=GNOME so that xdg-desktop-portal picks gnome-keyring's
// Secret portal backend, and FLATPAK_USER_DIR at the installation.
//
//   node sandbox-login.mjs APP_ID
//
// Prints one line per step ("ok …" or "FAIL …") and exits non-zero on the
// first failure. Never prints a token, a secret or a signed link.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { startStandIn } from '../aws-sim/index.mjs';
import { launchChromium } from '../integration/lib/chromium.mjs';

const appId = process.argv[2] || 'io.github.genokey.Genokey';
const appDir = join(homedir(), '.var', 'app', appId); // the app's own, visible inside
const t0 = Date.now();
const secs = () => ((Date.now() - t0) / 1000).toFixed(1);
const step = (msg) => console.log(`ok [${secs()} s] ${msg}`);

/** `flatpak run --command=genokey APP args…`; resolves { code, stdout, stderr }. */
function genokey (args, { onStdout, timeout = 120 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn('flatpak', ['run', '--command=genokey', appId, ...args],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; onStdout?.(stdout); });
    child.stderr.on('data', (d) => { stderr += d; });
    // flatpak run leaves the sandbox (bwrap) behind when killed: stop both.
    const timer = setTimeout(() => {
      stderr += `\n(timed out after ${timeout} s)`;
      spawnSync('flatpak', ['kill', appId], { stdio: 'ignore' });
      child.kill('SIGTERM');
    }, timeout * 1000);
    child.on('error', reject);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

const sim = await startStandIn({});
let browser;
try {
  const user = sim.info.users[0];

  // The profile file goes where the sandbox can read it: the app's own dir.
  mkdirSync(appDir, { recursive: true });
  const profileCopy = join(appDir, 'oauth-config.json');
  copyFileSync(sim.info.profile_file, profileCopy);
  let r = await genokey(['profile', 'import', profileCopy, '--name', 'demo']);
  if (r.code !== 0) throw new Error(`profile import in the sandbox exited ${r.code}: ${r.stderr.trim()}`);
  step('profile imported inside the sandbox');

  // genokey login --no-browser prints the authorization link on stdout; a
  // browser on the host completes it and is sent back to the listener on
  // localhost:60151 inside the sandbox (same network namespace).
  browser = await launchChromium();
  const page = await browser.context.newPage();
  let linkSeen;
  const linkPromise = new Promise((resolve) => { linkSeen = resolve; });
  const login = genokey(['login', '--profile', 'demo', '--no-browser'], {
    timeout: 180,
    onStdout: (out) => {
      const m = /^(https?:\/\/\S+)$/m.exec(out);
      if (m) linkSeen(m[1]);
    },
  });
  const link = await Promise.race([
    linkPromise,
    login.then((res) => { throw new Error(`login exited ${res.code} before printing a link: ${res.stderr.trim()}`); }),
  ]);
  step('genokey login --no-browser printed the sign-in link');
  await page.goto(link);
  await page.fill('input[name=username]', user.username);
  await page.fill('input[name=password]', user.password);
  await Promise.all([
    page.waitForURL(/^http:\/\/(localhost|127\.0\.0\.1):60151\//, { timeout: 60_000 }),
    page.click('button[type=submit]'),
  ]);
  step('Chromium on the host signed in and was sent back to the sandbox');
  r = await login;
  if (r.code !== 0) throw new Error(`login in the sandbox exited ${r.code}: ${r.stderr.trim()}`);
  if (!/Signed in as/.test(r.stdout)) throw new Error('login did not say it signed in');
  if (/memory/i.test(r.stderr)) throw new Error(`login kept the secrets in memory only: ${r.stderr.trim()}`);
  step(`genokey login exited 0 (${r.stdout.trim().split('\n').pop().replace(/ — .*/, '')})`);

  // libsecret inside Flatpak stores into the app's own keyring file, whose
  // key comes from the Secret portal (gnome-keyring).
  const keyrings = join(appDir, 'data', 'keyrings');
  const files = existsSync(keyrings) ? readdirSync(keyrings) : [];
  if (!files.some((f) => f.endsWith('.keyring') && statSync(join(keyrings, f)).size > 0)) {
    throw new Error(`no keyring file in ${keyrings} (found: ${files.join(', ') || 'nothing'})`);
  }
  step(`refresh token stored in the app's portal keyring (${keyrings}/${files.join(', ')})`);

  // A new process in the sandbox restores the sign-in from that keyring.
  r = await genokey(['status', '--profile', 'demo', '--json']);
  if (r.code !== 0) throw new Error(`status in the sandbox exited ${r.code}: ${r.stderr.trim()}`);
  const status = JSON.parse(r.stdout);
  if (status.state !== 'signed-in') {
    throw new Error(`status in a new sandbox process says ${status.state}`);
  }
  if (status.email !== user.email) throw new Error(`status says signed in as ${status.email}`);
  if (status.keyring !== 'secret-service') throw new Error(`status says the keyring is ${status.keyring}`);
  step(`a new sandbox process restores the sign-in from the keyring (${status.state}, ${status.email})`);

  // Credentials for presign come from that keyring too.
  const { bucket, bam } = sim.info.demo;
  const before = sim.s3Log.length;
  r = await genokey(['presign', '--profile', 'demo', `s3://${bucket}/${bam}`]);
  if (r.code !== 0) throw new Error(`presign in the sandbox exited ${r.code}: ${r.stderr.trim()}`);
  const url = r.stdout.trim().split('\n').pop();
  if (!/^https?:\/\//.test(url)) throw new Error('presign printed no link');
  step('genokey presign printed a link');

  const res = await fetch(url);
  const body = Buffer.from(await res.arrayBuffer());
  const entry = sim.s3Log.slice(before).find((e) => e.key === bam);
  if (res.status !== 200) throw new Error(`the stand-in answered ${res.status} to the link (${entry?.error || ''})`);
  if (entry?.auth !== 'query') throw new Error('the stand-in did not see a presigned request');
  const local = readFileSync(join(sim.info.demo.local_dir, bam.split('/').pop()));
  if (!body.equals(local)) throw new Error('the link returned other bytes than the demo BAM');
  step(`the stand-in accepted the link from the sandbox (${body.length} bytes of ${bam.split('/').pop()})`);
} catch (e) {
  console.log(`FAIL [${secs()} s] ${e.message}`);
  process.exitCode = 1;
} finally {
  await browser?.close();
  await sim.stop();
}
