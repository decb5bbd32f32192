#!/usr/bin/env node
// The "system browser" of the sign-in end-to-end test. The test registers a
// .desktop file running this script as the default x-scheme-handler/http(s),
// so `genokey login` opens it through GIO exactly as it would open Firefox.
// It drives headless Chromium through the stand-in's hosted login form with
// the user in GK_FAKE_BROWSER_USER / GK_FAKE_BROWSER_PASSWORD and waits for
// the redirect to reach Genokey's listener. A line per step goes to
// GK_FAKE_BROWSER_LOG (never the password or the callback's query).
import { appendFileSync } from 'node:fs';
import { launchChromium } from './chromium.mjs';
import { scaled } from './timeouts.mjs';

const url = process.argv[2];
const log = (line) => {
  if (process.env.GK_FAKE_BROWSER_LOG) appendFileSync(process.env.GK_FAKE_BROWSER_LOG, `${line}\n`);
};

let browser;
try {
  log(`opened ${new URL(url).origin}${new URL(url).pathname}`);
  browser = await launchChromium();
  const page = await browser.context.newPage();
  await page.goto(url);
  await page.fill('input[name=username]', process.env.GK_FAKE_BROWSER_USER);
  await page.fill('input[name=password]', process.env.GK_FAKE_BROWSER_PASSWORD);
  await Promise.all([
    page.waitForURL(/oauthCallback/, { timeout: scaled(60_000) }),
    page.click('button[type=submit]'),
  ]);
  const text = await page.textContent('body');
  log(`redirected; page says: ${text.replace(/\s+/g, ' ').trim().slice(0, 120)}`);
} catch (e) {
  log(`failed: ${e.message}`);
  process.exitCode = 1;
} finally {
  await browser?.close();
}
