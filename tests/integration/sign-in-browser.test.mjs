// End to end with a real browser: `genokey login` opens the system browser
// through GIO; the test's default http(s) handler is a .desktop file running
// lib/fake-browser.mjs, which fills the stand-in's hosted login form in
// headless Chromium. Runs under keyring-session.sh (private HOME, XDG dirs
// and gnome-keyring).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { genokey, keyringItems, overheadMs, setUp } from './lib/genokey-cli.mjs';

const FAKE_BROWSER = fileURLToPath(new URL('./lib/fake-browser.mjs', import.meta.url));

function installDefaultBrowser () {
  const config = process.env.XDG_CONFIG_HOME;
  const apps = join(process.env.XDG_DATA_HOME, 'applications');
  assert.ok(config && process.env.GK_TEST_SESSION_DIR, 'runs under keyring-session.sh');
  mkdirSync(apps, { recursive: true });
  writeFileSync(join(apps, 'gk-test-browser.desktop'), [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Genokey test browser',
    `Exec=${process.execPath} ${FAKE_BROWSER} %u`,
    'MimeType=x-scheme-handler/http;x-scheme-handler/https;',
    'NoDisplay=true',
    '',
  ].join('\n'));
  writeFileSync(join(config, 'mimeapps.list'), [
    '[Default Applications]',
    'x-scheme-handler/http=gk-test-browser.desktop',
    'x-scheme-handler/https=gk-test-browser.desktop',
    '',
  ].join('\n'));
}

test('genokey login opens the system browser, which signs in; keyring and status agree', async (t) => {
  installDefaultBrowser();
  const sim = await setUp(t, 'browser');
  const user = sim.info.users[0];
  const browserLog = join(process.env.GK_TEST_SESSION_DIR, 'fake-browser.log');

  const r = await genokey(['login', '--profile', 'browser'], {
    timeout: 120_000,
    env: {
      GK_REPORT_TIMING: '1',
      GK_FAKE_BROWSER_USER: user.username,
      GK_FAKE_BROWSER_PASSWORD: user.password,
      GK_FAKE_BROWSER_LOG: browserLog,
    },
  });
  const steps = existsSync(browserLog) ? readFileSync(browserLog, 'utf8') : '(browser never ran)';
  assert.equal(r.status, 0, `${r.stderr}\nbrowser: ${steps}`);
  assert.match(steps, /^opened /m);
  assert.match(steps, /^redirected/m);
  assert.match(r.stderr, /browser window that opened/);
  assert.doesNotMatch(r.stdout, /^http/m, 'no link printed when the browser opened');
  assert.match(r.stdout, /^Signed in as ana@lab\.org — credentials valid until \d\d:\d\d$/m);
  const ms = overheadMs(r.stderr);
  assert.ok(ms !== null);
  console.log(`sign-in overhead (browser redirect reached the listener → credentials stored): ${ms} ms`);

  assert.match(await keyringItems('browser'), /attribute\.kind = refresh-token/);
  const status = await genokey(['status', '--profile', 'browser']);
  assert.equal(status.status, 0, status.stderr);
  assert.match(status.stdout, /Signed in as: ana@lab\.org/);
  assert.match(status.stdout, /State: +signed in/);
});
