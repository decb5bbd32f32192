// Signs in to the stand-in's hosted UI over plain HTTP (no browser): the
// same requests a browser makes, for tests that need tokens quickly.
import { createHash, randomBytes } from 'node:crypto';

export function pkcePair () {
  const verifier = randomBytes(48).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

/**
 * Walks the hosted UI from an authorization URL to the redirect back: the
 * 302 to the login form, the form itself, and the POST of the credentials.
 * Returns the URL the browser would be sent back to (the redirect URI with
 * `code` and `state`, or `error`), without requesting it.
 */
export async function submitLoginForm (authorizeUrl, { username, password }) {
  const u = new URL(authorizeUrl);
  let r = await fetch(u, { redirect: 'manual' });
  if (r.status !== 302) throw new Error(`authorize answered ${r.status}: ${await r.text()}`);
  const loginUrl = new URL(r.headers.get('location'), u);
  r = await fetch(loginUrl);
  const html = await r.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&');
  if (!csrf || !action) throw new Error('no login form');
  r = await fetch(new URL(action, loginUrl), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, username, password }).toString(),
  });
  if (r.status !== 302) throw new Error(`login answered ${r.status}`);
  return new URL(r.headers.get('location'));
}

/**
 * Returns { code, state, nonce, verifier, redirectUri, tokens? }.
 * With exchange: true (default) also swaps the code for tokens.
 */
export async function headlessLogin (info, {
  username = info.users[0].username,
  password = info.users[0].password,
  client = 'public',
  redirectUri = info.redirect_uris[0],
  scope = 'openid email profile',
  exchange = true,
} = {}) {
  const clientId = info.clients[client].client_id;
  const { verifier, challenge } = pkcePair();
  const state = randomBytes(16).toString('base64url');
  const nonce = randomBytes(16).toString('base64url');
  const u = new URL(info.hosted_ui.authorization_endpoint);
  u.search = new URLSearchParams({
    response_type: 'code', client_id: clientId, redirect_uri: redirectUri, scope, state, nonce,
    code_challenge: challenge, code_challenge_method: 'S256',
  }).toString();
  const back = await submitLoginForm(u, { username, password });
  if (back.searchParams.get('state') !== state) throw new Error('state mismatch');
  const code = back.searchParams.get('code');
  if (!code) throw new Error(`login failed: ${back.searchParams.get('error')}`);
  const out = { code, state, nonce, verifier, redirectUri, clientId };
  if (exchange) out.tokens = await exchangeCode(info, { code, verifier, redirectUri, client });
  return out;
}

export async function tokenRequest (info, params, client = 'public') {
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  const c = info.clients[client];
  const body = new URLSearchParams(params);
  if (c.client_secret) {
    headers.authorization = 'Basic ' + Buffer.from(`${encodeURIComponent(c.client_id)}:${encodeURIComponent(c.client_secret)}`).toString('base64');
  } else {
    body.set('client_id', c.client_id);
  }
  const r = await fetch(info.hosted_ui.token_endpoint, { method: 'POST', headers, body: body.toString() });
  return { status: r.status, body: await r.json() };
}

export async function exchangeCode (info, { code, verifier, redirectUri, client = 'public' }) {
  const r = await tokenRequest(info, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: redirectUri }, client);
  if (r.status !== 200) throw new Error(`token exchange failed: ${r.status} ${r.body.error}`);
  return r.body;
}
