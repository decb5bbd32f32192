// Signing in away from the desktop: `genokey login --paste` prints the link,
// a real headless Chromium signs in with it on "another computer" and ends
// on the unreachable http://localhost:PORT/oauthCallback?code=…&state=…
// page (nothing listens), and that address is typed into genokey through a
// pseudo-terminal (lib/pty-stdin.py), as a person on SSH would paste it.
// Addresses from another sign-in, with a tampered state, or that are not
// the return address at all are refused with words saying what to paste,
// while the sign-in keeps waiting; the right one finishes it. Without a
// display and a browser, plain `genokey login` offers the same by itself.
// Runs under keyring-session.sh (private HOME, XDG dirs and gnome-keyring).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './lib/chromium.mjs';
import { GENOKEY, genokey, keyringItems, setUp } from './lib/genokey-cli.mjs';

const PTY_STDIN = fileURLToPath(new URL('./lib/pty-stdin.py', import.meta.url));
// Generous: Chromium and an ASan genokey on a loaded two-core machine.
const STEP_TIMEOUT_MS = 90_000;

/**
 * genokey with its standard input on a terminal. `type(line)` types a line;
 * `waitFor(stream, re)` resolves the first match in what has arrived so far
 * or later, and when it gives up says what it waited for and what it saw.
 */
function startOnTerminal (args, env = {}) {
  const child = spawn('python3', [PTY_STDIN, GENOKEY, ...args], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  const waiters = [];
  const check = () => {
    for (const w of [...waiters]) {
      const m = w.re.exec(out[w.stream]);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        clearTimeout(w.timer);
        w.resolve(m);
      }
    }
  };
  child.stdout.on('data', (d) => { out.stdout += d; check(); });
  child.stderr.on('data', (d) => { out.stderr += d; check(); });
  const exited = new Promise((resolve) => child.on('close', (status) => resolve(status)));
  return {
    out,
    exited,
    type (line) { child.stdin.write(`${line}\n`); },
    endInput () { child.stdin.end(); },
    kill () { child.kill('SIGTERM'); },
    waitFor (stream, re, what) {
      return new Promise((resolve, reject) => {
        const w = { stream, re, resolve };
        w.timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(new Error(`gave up waiting ${STEP_TIMEOUT_MS} ms for ${what} (${re}) on ${stream};\n` +
            `stdout so far: ${out.stdout}\nstderr so far: ${out.stderr}`));
        }, STEP_TIMEOUT_MS);
        waiters.push(w);
        check();
      });
    },
  };
}

/**
 * Opens the sign-in link in headless Chromium, fills the stand-in's hosted
 * login and returns the address the browser ends on: the redirect back to
 * localhost, which fails because nothing listens there.
 */
async function signInInChromium (browser, link, user, redirectUri) {
  // Each sign-in from scratch: with the hosted login's session cookie the
  // browser would skip the form.
  await browser.context.clearCookies();
  const page = await browser.context.newPage();
  try {
    await page.goto(link);
    await page.fill('input[name=username]', user.username);
    await page.fill('input[name=password]', user.password);
    const [failed] = await Promise.all([
      page.waitForEvent('requestfailed', {
        predicate: (r) => r.url().startsWith(redirectUri),
        timeout: STEP_TIMEOUT_MS,
      }),
      page.click('button[type=submit]'),
    ]);
    return failed.url();
  } finally {
    await page.close();
  }
}

test('login --paste: addresses from another sign-in or with a wrong state are refused while it waits; the right one signs in', async (t) => {
  const sim = await setUp(t, 'remote');
  const user = sim.info.users[0];
  const redirectUri = `http://localhost:${sim.callbackPort}/oauthCallback`;
  const browser = await launchChromium();
  t.after(() => browser.close());

  // An earlier sign-in, abandoned after the browser came back: its address
  // belongs to that sign-in only.
  const first = startOnTerminal(['login', '--paste', '--profile', 'remote']);
  t.after(() => first.kill());
  const [, firstLink] = await first.waitFor('stdout', /^(http\S+)$/m, 'the first sign-in link');
  const earlier = await signInInChromium(browser, firstLink, user, redirectUri);
  first.kill();
  await first.exited;

  const login = startOnTerminal(['login', '--paste', '--profile', 'remote']);
  t.after(() => login.kill());
  const [, link] = await login.waitFor('stdout', /^(http\S+)$/m, 'the sign-in link');
  await login.waitFor('stderr', /paste it here/, 'the prompt to paste');
  assert.notEqual(link, firstLink, 'each sign-in has its own link');
  const ours = await signInInChromium(browser, link, user, redirectUri);
  const address = new URL(ours);
  assert.equal(`${address.origin}${address.pathname}`, redirectUri, 'the browser ends on the registered redirect URI');
  assert.ok(address.searchParams.get('code') && address.searchParams.get('state'));

  // 1. The address of the earlier sign-in.
  login.type(earlier);
  await login.waitFor('stderr', /from another sign-in \(its state does not match/, 'the other sign-in refused');
  // 2. This sign-in's address with its state changed.
  const tampered = new URL(ours);
  tampered.searchParams.set('state', `${address.searchParams.get('state').slice(0, -2)}xx`);
  login.type(tampered.href);
  await login.waitFor('stderr', /from another sign-in[^]*from another sign-in/, 'the wrong state refused');
  // 3. The link itself, pasted back by mistake.
  login.type(link);
  // The refusal and the prompt after it are two writes: wait for both.
  await login.waitFor('stderr', /That is the sign-in link itself[^]*Paste the address again/, 'the sign-in link refused');
  assert.equal(login.out.stderr.match(/Paste the address again/g).length, 3, 'after each refusal it asks again');
  assert.doesNotMatch(login.out.stdout, /Signed in/, 'still waiting');

  // 4. The right address, as copied from an address bar: no scheme, spaces.
  login.type(`  ${ours.replace(/^http:\/\//, '')}  `);
  let timer;
  const status = await Promise.race([
    login.exited,
    new Promise((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`gave up waiting ${STEP_TIMEOUT_MS} ms for genokey to finish after the good paste:\n${login.out.stderr}`)), STEP_TIMEOUT_MS);
    }),
  ]).finally(() => clearTimeout(timer));
  assert.equal(status, 0, login.out.stderr);
  assert.match(login.out.stdout, /^Signed in as ana@lab\.org — credentials valid until \d\d:\d\d$/m);
  assert.match(login.out.stderr, /Finishing the sign-in/);
  // The code never reaches genokey's own output.
  assert.ok(!login.out.stderr.includes(address.searchParams.get('code')));

  // Nothing listened: the browser's redirect went nowhere, and the sign-in
  // is kept as any other.
  assert.match(await keyringItems('remote'), /attribute\.kind = refresh-token/);
  const s = await genokey(['status', '--profile', 'remote']);
  assert.equal(s.status, 0, s.stderr);
  assert.match(s.stdout, /State: +signed in/);
});

test('login without a display or a browser offers the paste by itself, and says so; input ending stops it', async (t) => {
  await setUp(t, 'headless');
  // No display, and no handler for web links: an empty XDG_DATA_DIRS hides
  // the system's (Debian's Chromium registers itself for https).
  const login = startOnTerminal(['login', '--profile', 'headless'], {
    DISPLAY: '',
    WAYLAND_DISPLAY: '',
    XDG_DATA_DIRS: mkdtempSync(join(tmpdir(), 'gk-no-apps-')),
  });
  t.after(() => login.kill());
  await login.waitFor('stderr', /no display and no web browser here/, 'the notice that paste is used');
  await login.waitFor('stdout', /^http\S+$/m, 'the link');
  await login.waitFor('stderr', /paste it here/, 'the prompt to paste');
  login.endInput();
  const status = await login.exited;
  assert.equal(status, 1);
  assert.match(login.out.stderr, /Standard input ended before a sign-in address was pasted/);
});
