// The Cognito-like hosted login at the HTTP level: PKCE, exact redirects,
// client authentication, token claims, refresh rotation, revoke, userInfo
// and logout.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRemoteJWKSet, jwtVerify, decodeJwt } from 'jose';
import { startStandIn } from '../index.mjs';
import { headlessLogin, tokenRequest, pkcePair } from '../lib/login.mjs';

let sim, info;

before(async () => {
  sim = await startStandIn({ demo: false, idTokenLifetime: 1800, redirectUris: ['http://localhost:60151/oauthCallback', 'http://127.0.0.1:53682/cb'] });
  info = sim.info;
});
after(async () => { await sim?.stop(); });

function authorizeUrl (over = {}) {
  const { challenge } = pkcePair();
  const u = new URL(info.hosted_ui.authorization_endpoint);
  const p = {
    response_type: 'code', client_id: info.clients.public.client_id, redirect_uri: info.redirect_uris[0],
    scope: 'email openid profile', state: 'st', nonce: 'nn', code_challenge: challenge, code_challenge_method: 'S256', ...over,
  };
  for (const [k, v] of Object.entries(p)) if (v !== null) u.searchParams.set(k, v);
  return u;
}

test('discovery and JWKS sit under the issuer', async () => {
  const d = await (await fetch(`${info.issuer}/.well-known/openid-configuration`)).json();
  assert.equal(d.issuer, info.issuer);
  assert.equal(d.jwks_uri, info.jwks_uri);
  assert.equal(d.authorization_endpoint, info.hosted_ui.authorization_endpoint);
  assert.match(info.issuer, /^http:\/\/127\.0\.0\.1:\d+\/us-east-1_DemoPool1$/);
  const jwks = await (await fetch(info.jwks_uri)).json();
  assert.equal(jwks.keys.length, 1);
  assert.deepEqual(Object.keys(jwks.keys[0]).sort(), ['alg', 'e', 'kid', 'kty', 'n', 'use']);
  assert.equal(jwks.keys[0].alg, 'RS256');
  const profile = JSON.parse(await (await import('node:fs/promises')).readFile(info.profile_file, 'utf8'));
  for (const k of ['client_id', 'authorization_endpoint', 'token_endpoint', 'scope', 'redirect_uris', 'aws_region', 'aws_cognito_pool_id',
    'aws_cognito_fed_pool_id', 'issuer', 'jwks_uri', 'revocation_endpoint', 'cognito_identity_endpoint', 'sts_endpoint', 'endpoint_url',
    'logout_endpoint', 'userinfo_endpoint']) assert.ok(k in profile, k);
  assert.equal(profile.scope, 'email openid profile');
  assert.ok(!('client_secret' in profile) && !('aws_cognito_role_arn' in profile));
  const basic = JSON.parse(await (await import('node:fs/promises')).readFile(info.profile_files.basic, 'utf8'));
  assert.equal(basic.aws_cognito_role_arn, info.role_arn);
  const conf = JSON.parse(await (await import('node:fs/promises')).readFile(info.profile_files.confidential, 'utf8'));
  assert.equal(conf.client_secret, info.clients.confidential.client_secret);
});

test('the code flow gives Cognito-shaped RS256 tokens', async () => {
  const l = await headlessLogin(info, { username: 'ana@lab.org' });
  const t = l.tokens;
  assert.deepEqual(Object.keys(t).sort(), ['access_token', 'expires_in', 'id_token', 'refresh_token', 'token_type']);
  assert.equal(t.token_type, 'Bearer');
  const jwks = createRemoteJWKSet(new URL(info.jwks_uri));
  const { payload: id, protectedHeader } = await jwtVerify(t.id_token, jwks, { issuer: info.issuer, audience: info.clients.public.client_id, algorithms: ['RS256'] });
  assert.equal(protectedHeader.alg, 'RS256');
  assert.ok(protectedHeader.kid);
  assert.equal(id.token_use, 'id');
  assert.equal(id.email, 'ana@lab.org');
  assert.equal(id['cognito:username'], 'ana');
  assert.equal(id.nonce, l.nonce);
  assert.equal(id.exp - id.iat, 1800);
  const { payload: at } = await jwtVerify(t.access_token, jwks, { issuer: info.issuer });
  assert.equal(at.token_use, 'access');
  assert.equal(at.client_id, info.clients.public.client_id);
  assert.equal(at.aud, undefined);
  assert.deepEqual(at.scope.split(' ').sort(), ['email', 'openid', 'profile']);
  assert.equal(t.refresh_token.split('.').length, 5);
  const ui = await fetch(info.hosted_ui.userinfo_endpoint, { headers: { authorization: `Bearer ${t.access_token}` } });
  assert.equal(ui.status, 200);
  assert.deepEqual(await ui.json(), { sub: id.sub, email_verified: 'true', email: 'ana@lab.org', username: 'ana' });
  const bad = await fetch(info.hosted_ui.userinfo_endpoint, { headers: { authorization: `Bearer ${t.id_token}` } });
  assert.equal(bad.status, 401);
});

test('PKCE S256 is required and checked; codes are single-use', async () => {
  for (const [over, desc] of [[{ code_challenge: null, code_challenge_method: null }, /code_challenge/], [{ code_challenge_method: 'plain' }, /S256/]]) {
    const r = await fetch(authorizeUrl(over), { redirect: 'manual' });
    assert.equal(r.status, 302);
    const back = new URL(r.headers.get('location'));
    assert.equal(back.origin + back.pathname, info.redirect_uris[0]);
    assert.equal(back.searchParams.get('error'), 'invalid_request');
    assert.match(back.searchParams.get('error_description'), desc);
    assert.equal(back.searchParams.get('state'), 'st');
  }
  const l = await headlessLogin(info, { exchange: false });
  const wrong = await tokenRequest(info, { grant_type: 'authorization_code', code: l.code, code_verifier: pkcePair().verifier, redirect_uri: l.redirectUri });
  assert.equal(wrong.status, 400);
  assert.equal(wrong.body.error, 'invalid_grant');
  const reuse = await tokenRequest(info, { grant_type: 'authorization_code', code: l.code, code_verifier: l.verifier, redirect_uri: l.redirectUri });
  assert.equal(reuse.body.error, 'invalid_grant', 'a code is gone after one attempt');
  const l2 = await headlessLogin(info, { exchange: false });
  const noVerifier = await tokenRequest(info, { grant_type: 'authorization_code', code: l2.code, redirect_uri: l2.redirectUri });
  assert.equal(noVerifier.body.error, 'invalid_grant');
  const l3 = await headlessLogin(info, { exchange: false });
  const otherRedirect = await tokenRequest(info, { grant_type: 'authorization_code', code: l3.code, code_verifier: l3.verifier, redirect_uri: info.redirect_uris[1] });
  assert.equal(otherRedirect.body.error, 'invalid_grant');
});

test('redirect URIs match exactly and never receive errors when unregistered', async () => {
  for (const uri of ['http://localhost:60151/oauthCallback/', 'http://localhost:60152/oauthCallback', 'http://127.0.0.1:60151/oauthCallback', 'http://localhost:60151/oauthcallback']) {
    const r = await fetch(authorizeUrl({ redirect_uri: uri }), { redirect: 'manual' });
    assert.equal(r.status, 302);
    assert.match(r.headers.get('location'), /^\/error\?error=redirect_mismatch/);
  }
  const ok = await headlessLogin(info, { redirectUri: info.redirect_uris[1] });
  assert.ok(ok.tokens.id_token);
});

test('wrong passwords show the form again', async () => {
  await assert.rejects(headlessLogin(info, { password: 'wrong' }), /login answered 200/);
  const r = await fetch(authorizeUrl(), { redirect: 'manual' });
  const form = await fetch(new URL(r.headers.get('location'), info.hosted_ui.authorization_endpoint));
  const html = await form.text();
  assert.match(html, /<input[^>]+name="username"/);
  assert.match(html, /<input[^>]+name="password"[^>]+type="password"|<input[^>]+type="password"[^>]+name="password"/);
  assert.match(html, /<button type="submit"/);
});

test('the confidential client authenticates with HTTP Basic only', async () => {
  const l = await headlessLogin(info, { client: 'confidential', exchange: false });
  const c = info.clients.confidential;
  const post = (headers, body) => fetch(info.hosted_ui.token_endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(body).toString() }).then(async (r) => ({ status: r.status, body: await r.json() }));
  const base = { grant_type: 'authorization_code', code: l.code, code_verifier: l.verifier, redirect_uri: l.redirectUri };
  let r = await post({}, { ...base, client_id: c.client_id, client_secret: c.client_secret });
  assert.equal(r.body.error, 'invalid_client', 'secret in the body');
  r = await post({}, { ...base, client_id: c.client_id });
  assert.equal(r.body.error, 'invalid_client', 'no secret');
  r = await post({ authorization: 'Basic ' + Buffer.from(`${c.client_id}:wrong`).toString('base64') }, base);
  assert.equal(r.body.error, 'invalid_client', 'wrong secret');
  r = await post({ authorization: 'Basic ' + Buffer.from(`${c.client_id}:${c.client_secret}`).toString('base64') }, base);
  assert.equal(r.status, 200);
  assert.equal(decodeJwt(r.body.id_token).aud, c.client_id);
});

test('refresh without rotation: new ID token, no new refresh token', async () => {
  const { tokens } = await headlessLogin(info);
  await new Promise((res) => setTimeout(res, 1100));
  const r = await tokenRequest(info, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
  assert.equal(r.status, 200);
  assert.deepEqual(Object.keys(r.body).sort(), ['access_token', 'expires_in', 'id_token', 'token_type']);
  const id = decodeJwt(r.body.id_token);
  assert.ok(id.iat > decodeJwt(tokens.id_token).iat);
  assert.equal(id.nonce, undefined);
  const again = await tokenRequest(info, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
  assert.equal(again.status, 200, 'the same refresh token keeps working');
  const other = await tokenRequest(info, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token }, 'confidential');
  assert.equal(other.body.error, 'invalid_grant', 'another client cannot use it');
});

test('revoke kills the refresh token and the access tokens it issued', async () => {
  const { tokens } = await headlessLogin(info);
  const form = new URLSearchParams({ token: tokens.refresh_token, client_id: info.clients.public.client_id });
  const r = await fetch(info.hosted_ui.revocation_endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
  assert.equal(r.status, 200);
  const after = await tokenRequest(info, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
  assert.equal(after.status, 400);
  assert.equal(after.body.error, 'invalid_grant');
  const ui = await fetch(info.hosted_ui.userinfo_endpoint, { headers: { authorization: `Bearer ${tokens.access_token}` } });
  assert.equal(ui.status, 401);
});

test('logout: only registered logout_uri, and the session cookie is dropped', async () => {
  const bad = await fetch(`${info.hosted_ui.logout_endpoint}?client_id=${info.clients.public.client_id}&logout_uri=${encodeURIComponent('http://evil.example/')}`, { redirect: 'manual' });
  assert.match(bad.headers.get('location'), /^\/error/);
  // Sign in once to get the hosted UI's cookie; the next authorize skips the form.
  const start = await fetch(authorizeUrl(), { redirect: 'manual' });
  const loginUrl = new URL(start.headers.get('location'), info.hosted_ui.authorization_endpoint);
  const html = await (await fetch(loginUrl)).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)[1];
  const action = /action="([^"]+)"/.exec(html)[1].replace(/&amp;/g, '&');
  const post = await fetch(new URL(action, loginUrl), { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf, username: 'ana', password: info.users[0].password }).toString() });
  const cookie = post.headers.get('set-cookie').split(';')[0];
  const silent = await fetch(authorizeUrl(), { redirect: 'manual', headers: { cookie } });
  assert.match(silent.headers.get('location'), /^http:\/\/localhost:60151\/oauthCallback\?code=/);
  const out = await fetch(`${info.hosted_ui.logout_endpoint}?client_id=${info.clients.public.client_id}&logout_uri=${encodeURIComponent('http://localhost:60151/signedOut')}`, { redirect: 'manual', headers: { cookie } });
  assert.equal(out.status, 302);
  assert.equal(out.headers.get('location'), 'http://localhost:60151/signedOut');
  const afterOut = await fetch(authorizeUrl(), { redirect: 'manual', headers: { cookie } });
  assert.match(afterOut.headers.get('location'), /^\/login\?/);
});

test('refresh-token rotation, grace period and expiry', async () => {
  const rot = await startStandIn({ demo: false, rotateRefreshTokens: true });
  try {
    const { tokens } = await headlessLogin(rot.info);
    const r1 = await tokenRequest(rot.info, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    assert.equal(r1.status, 200);
    assert.ok(r1.body.refresh_token && r1.body.refresh_token !== tokens.refresh_token);
    const old = await tokenRequest(rot.info, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    assert.equal(old.body.error, 'invalid_grant', 'the old token is gone');
    const r2 = await tokenRequest(rot.info, { grant_type: 'refresh_token', refresh_token: r1.body.refresh_token });
    assert.equal(r2.status, 200);
  } finally {
    await rot.stop();
  }
  const short = await startStandIn({ demo: false, refreshTokenLifetime: 2 });
  try {
    const { tokens } = await headlessLogin(short.info);
    await new Promise((res) => setTimeout(res, 2100));
    const expired = await tokenRequest(short.info, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    assert.equal(expired.body.error, 'invalid_grant');
    assert.match(expired.body.error_description, /expired/);
  } finally {
    await short.stop();
  }
  const grace = await startStandIn({ demo: false, rotateRefreshTokens: true, refreshTokenGraceSeconds: 60 });
  try {
    const { tokens } = await headlessLogin(grace.info);
    const r1 = await tokenRequest(grace.info, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    const again = await tokenRequest(grace.info, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    assert.equal(again.status, 200, 'within the grace period');
    assert.ok(again.body.refresh_token !== r1.body.refresh_token);
  } finally {
    await grace.stop();
  }
});
