// A full hosted login in headless Chromium, then the enhanced flow and an
// S3 listing with the credentials it gives: the path Genokey's sign-in
// takes, driven by the official SDK.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { GetIdCommand, GetCredentialsForIdentityCommand } from '@aws-sdk/client-cognito-identity';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { jwtVerify, createRemoteJWKSet } from 'jose';
import { launchChromium } from '../../integration/lib/chromium.mjs';
import { startStandIn } from '../index.mjs';
import { exchangeCode } from '../lib/login.mjs';
import { identityClient, s3Client } from './helpers.mjs';

let sim, callback, browser;

// A loopback callback like Genokey's: one valid GET, a static page.
function startCallback () {
  return new Promise((resolve) => {
    let deliver;
    const result = new Promise((r) => { deliver = r; });
    const server = createServer((req, res) => {
      const u = new URL(req.url, 'http://127.0.0.1');
      if (u.pathname === '/oauthCallback') deliver(Object.fromEntries(u.searchParams));
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!DOCTYPE html><title>Signed in</title><h1>You are signed in. You can close this tab.</h1>');
    });
    server.listen(0, '127.0.0.1', () => resolve({ server, result, uri: `http://127.0.0.1:${server.address().port}/oauthCallback` }));
  });
}

before(async () => {
  callback = await startCallback();
  sim = await startStandIn({ redirectUris: [callback.uri] });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await sim?.stop();
  callback?.server.close();
});

test('sign in through the login form, then list the demo bucket', async () => {
  const info = sim.info;
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const nonce = randomBytes(16).toString('base64url');
  const u = new URL(info.hosted_ui.authorization_endpoint);
  u.search = new URLSearchParams({
    response_type: 'code', client_id: info.clients.public.client_id, redirect_uri: callback.uri,
    scope: 'email openid profile', state, nonce,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256',
  }).toString();

  const page = await browser.context.newPage();
  const t0 = Date.now();
  await page.goto(u.toString());
  await page.fill('input[name="username"]', 'ana@lab.org');
  await page.fill('input[name="password"]', 'wrong password');
  await page.click('button[type="submit"]');
  await page.waitForSelector('#loginErrorMessage');
  assert.match(await page.textContent('#loginErrorMessage'), /Incorrect username or password/);
  await page.fill('input[name="username"]', 'ana@lab.org');
  await page.fill('input[name="password"]', info.users[0].password);
  await page.click('button[type="submit"]');
  const cb = await callback.result;
  await page.waitForSelector('text=You are signed in');
  const browserMs = Date.now() - t0;
  assert.equal(cb.state, state);
  assert.ok(cb.code);

  const tokens = await exchangeCode(info, { code: cb.code, verifier, redirectUri: callback.uri });
  const { payload } = await jwtVerify(tokens.id_token, createRemoteJWKSet(new URL(info.jwks_uri)), { issuer: info.issuer, audience: info.clients.public.client_id });
  assert.equal(payload.nonce, nonce);
  assert.equal(payload.email, 'ana@lab.org');

  const ci = identityClient(sim);
  const logins = { [info.logins_key]: tokens.id_token };
  const { IdentityId } = await ci.send(new GetIdCommand({ IdentityPoolId: info.identity_pool_id, Logins: logins }));
  const { Credentials: c } = await ci.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: logins }));
  const s3 = s3Client(sim, { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretKey, sessionToken: c.SessionToken });
  const l = await s3.send(new ListObjectsV2Command({ Bucket: info.demo.bucket, Prefix: info.demo.prefix }));
  assert.ok(l.Contents.some((o) => o.Key === info.demo.bam));
  const entry = sim.s3Log.at(-1);
  assert.equal(entry.accessKeyId, c.AccessKeyId);
  assert.equal(entry.status, 200);
  console.log(`# browser sign-in took ${browserMs} ms`);
});
