// The sign-in protocol pieces (PKCE URL, loopback listener, token client,
// ID-token verification against the JWKS, refresh, revoke) against the local
// stand-in, for a public and a confidential app client. This test plays the
// browser with plain HTTP requests; tests/protocol-tool (a test program
// linking libgenokey) does Genokey's side and prints what it learned, never
// a token.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { startStandIn } from '../aws-sim/index.mjs';

const tool = path.join(process.env.GK_BUILD_ROOT ?? '', 'tests', 'protocol-tool');

function freePort () {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

// What a browser does: authorize → login form → POST → follow the redirect
// to the loopback listener.
async function browse (authUrl, user) {
  let r = await fetch(authUrl, { redirect: 'manual' });
  assert.equal(r.status, 302, 'authorize redirects to the login page');
  const loginUrl = new URL(r.headers.get('location'), authUrl);
  r = await fetch(loginUrl);
  const html = await r.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&');
  assert.ok(csrf && action, 'the login page has a form');
  r = await fetch(new URL(action, loginUrl), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, username: user.username, password: user.password }).toString(),
  });
  assert.equal(r.status, 302, 'login redirects back');
  const back = new URL(r.headers.get('location'));
  const page = await fetch(back);
  return { status: page.status, text: await page.text(), back };
}

async function signIn (clientKind) {
  const port = await freePort();
  const sim = await startStandIn({ redirectUris: [`http://localhost:${port}/oauthCallback`] });
  try {
    const info = sim.info;
    const client = info.clients[clientKind];
    const args = [
      '--authorize', info.hosted_ui.authorization_endpoint,
      '--token', info.hosted_ui.token_endpoint,
      '--jwks', info.jwks_uri,
      '--issuer', info.issuer,
      '--client-id', client.client_id,
      '--port', String(port),
    ];
    if (client.client_secret) args.push('--client-secret', client.client_secret);
    const child = spawn(tool, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout });
    const out = {};
    let page;
    const exited = new Promise((resolve) => child.on('exit', resolve));
    for await (const line of lines) {
      const [key, ...rest] = line.split(' ');
      out[key] = rest.join(' ');
      if (key === 'URL') {
        const u = new URL(out.URL);
        assert.equal(u.searchParams.get('scope'), 'email openid profile');
        assert.equal(u.searchParams.get('code_challenge_method'), 'S256');
        page = await browse(u, info.users[0]);
      }
    }
    const code = await exited;
    return { code, out, page, info };
  } finally {
    await sim.stop();
  }
}

for (const kind of ['public', 'confidential']) {
  test(`${kind} client: sign in, verify, refresh, revoke`, async () => {
    const { code, out, page, info } = await signIn(kind);
    assert.equal(out.FAIL, undefined, `the tool failed: ${out.FAIL}`);
    assert.equal(code, 0);
    assert.equal(page.status, 200);
    assert.match(page.text, /Signed in — you can close this tab and return to Genokey/);
    assert.ok(!page.text.includes(page.back.searchParams.get('code')), 'the page echoes nothing');
    assert.equal(out['LISTENING-AFTER'], 'no', 'the port closes after the callback');
    assert.equal(out.EMAIL, info.users[0].email);
    assert.equal(out['HAS-REFRESH'], 'yes');
    assert.equal(out.ROTATED, 'no');
    assert.equal(out['JWKS-FETCHES'], '1', 'the keys are fetched once');
    assert.match(out['AFTER-REVOKE'], /^gk-token-error-quark 1 /, 'a revoked refresh token is refused with invalid_grant');
    assert.equal(out.DONE, '');
    const ms = Number(out['REDIRECT-TO-VERIFIED-MS']);
    console.log(`# ${kind}: redirect → tokens exchanged and ID token verified: ${ms} ms`);
    assert.ok(ms < 5000);
  });
}
