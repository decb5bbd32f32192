// Hosted login that behaves like a Cognito user pool's hosted UI and OAuth
// endpoints: /oauth2/authorize (→ /login form), /oauth2/token,
// /oauth2/userInfo, /oauth2/revoke, /logout, and the pool's JWKS and
// discovery document under the issuer path.
//
// Cognito behaviour kept on purpose:
//  - a refresh_token grant answers without a refresh_token unless rotation
//    is on; with rotation the old token stops working (after an optional
//    grace period);
//  - revoking a refresh token also kills the access tokens issued from it;
//  - client secrets are accepted only as HTTP Basic;
//  - redirect and logout URIs are matched exactly.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { SignJWT, jwtVerify, exportJWK, createLocalJWKSet } from 'jose';
import { htmlEscape, readBody, parseForm, uuid, b64url, listen } from './util.mjs';

const CODE_LIFETIME = 300;
const SESSION_LIFETIME = 3600;
const ALLOWED_SCOPES = ['openid', 'email', 'profile', 'phone', 'aws.cognito.signin.user.admin'];

function safeEqual (a, b) {
  const x = Buffer.from(String(a));
  const y = Buffer.from(String(b));
  return x.length === y.length && timingSafeEqual(x, y);
}

function now () {
  return Math.floor(Date.now() / 1000);
}

export class HostedLogin {
  constructor (opts) {
    this.opts = opts;
    this.poolId = opts.poolId;
    this.users = opts.users;
    this.clients = new Map(opts.clients.map((c) => [c.client_id, c]));
    this.signingKey = opts.signingKey; // { privateKey, publicKey, kid }
    this.codes = new Map();
    this.refreshTokens = new Map();
    this.revokedOrigins = new Set();
    this.sessions = new Map();
    this.csrf = new Map();
    this.log = [];
  }

  async start () {
    const { server, port, url } = await listen((req, res) => this.handle(req, res), { latency: this.opts.latency, clock: this.opts.clock });
    this.server = server;
    this.port = port;
    this.base = url;
    // Real user pools are https://cognito-idp.<region>.amazonaws.com/<pool
    // id>; that name cannot be served here, so by default the issuer is the
    // pool's path on this server. With cognitoIssuer the tokens carry the
    // real form (as Cognito's do) and the keys stay here, at jwksUri.
    this.issuer = this.opts.cognitoIssuer
      ? `https://cognito-idp.${this.opts.region}.amazonaws.com/${this.poolId}`
      : `${url}/${this.poolId}`;
    this.jwksUri = `${url}/${this.poolId}/.well-known/jwks.json`;
    const jwk = await exportJWK(this.signingKey.publicKey);
    this.jwks = { keys: [{ alg: 'RS256', e: jwk.e, kid: this.signingKey.kid, kty: 'RSA', n: jwk.n, use: 'sig' }] };
    this.localJwks = createLocalJWKSet(this.jwks);
    return this;
  }

  endpoints () {
    return {
      authorization_endpoint: `${this.base}/oauth2/authorize`,
      token_endpoint: `${this.base}/oauth2/token`,
      userinfo_endpoint: `${this.base}/oauth2/userInfo`,
      revocation_endpoint: `${this.base}/oauth2/revoke`,
      logout_endpoint: `${this.base}/logout`,
    };
  }

  findUser (name) {
    const n = String(name || '').trim().toLowerCase();
    return this.users.find((u) => u.username.toLowerCase() === n || u.email.toLowerCase() === n);
  }

  // ---- routing ----------------------------------------------------------

  async handle (req, res) {
    const u = new URL(req.url, this.base);
    const p = u.pathname;
    this.log.push({ method: req.method, path: p });
    if (p === `/${this.poolId}/.well-known/jwks.json` && req.method === 'GET') {
      return this.json(res, 200, this.jwks);
    }
    if (p === `/${this.poolId}/.well-known/openid-configuration` && req.method === 'GET') {
      return this.json(res, 200, this.discovery());
    }
    if (p === '/oauth2/authorize' && req.method === 'GET') return this.authorize(req, res, u);
    if (p === '/login' && req.method === 'GET') return this.loginPage(req, res, u);
    if (p === '/login' && req.method === 'POST') return this.loginPost(req, res, u);
    if (p === '/oauth2/token') return this.token(req, res);
    if (p === '/oauth2/userInfo') return this.userInfo(req, res);
    if (p === '/oauth2/revoke') return this.revoke(req, res);
    if (p === '/logout' && req.method === 'GET') return this.logout(req, res, u);
    if (p === '/error') return this.errorPage(res, u.searchParams.get('error') || 'error');
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('Not found\n');
  }

  discovery () {
    const e = this.endpoints();
    return {
      issuer: this.issuer,
      authorization_endpoint: e.authorization_endpoint,
      token_endpoint: e.token_endpoint,
      userinfo_endpoint: e.userinfo_endpoint,
      revocation_endpoint: e.revocation_endpoint,
      end_session_endpoint: e.logout_endpoint,
      jwks_uri: this.jwksUri,
      response_types_supported: ['code', 'token'],
      scopes_supported: ['openid', 'email', 'phone', 'profile'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      code_challenge_methods_supported: ['S256'],
    };
  }

  json (res, status, body, extra = {}) {
    res.writeHead(status, {
      'content-type': 'application/json;charset=UTF-8',
      'cache-control': 'no-cache, no-store, max-age=0, must-revalidate',
      pragma: 'no-cache',
      ...extra,
    });
    res.end(JSON.stringify(body));
  }

  oauthError (res, status, error, description) {
    const body = { error };
    if (description) body.error_description = description;
    this.json(res, status, body);
  }

  redirect (res, location, extra = {}) {
    res.writeHead(302, { location, 'cache-control': 'no-store', ...extra });
    res.end();
  }

  html (res, status, body, extra = {}) {
    res.writeHead(status, {
      'content-type': 'text/html;charset=UTF-8',
      'cache-control': 'no-store',
      'x-frame-options': 'DENY',
      ...extra,
    });
    res.end(body);
  }

  errorPage (res, code) {
    this.html(res, 400, page('Error', `<h1>An error was encountered with the requested page.</h1>
<p id="error">${htmlEscape(code)}</p>`));
  }

  // ---- authorize / login ------------------------------------------------

  // Checks the authorize parameters. Returns { error } for problems that
  // must not be redirected, { redirectError } for those sent back to the
  // client, or { params } when fine.
  checkAuthorize (q) {
    const client = this.clients.get(q.get('client_id') || '');
    if (!client) return { error: 'invalid_request: client_id' };
    const redirectUri = q.get('redirect_uri');
    if (!redirectUri || !client.redirect_uris.includes(redirectUri)) {
      return { error: 'redirect_mismatch', client };
    }
    const state = q.get('state');
    const back = (error, description) => ({ redirectError: { redirectUri, state, error, description } });
    const rt = q.get('response_type');
    if (rt !== 'code') {
      return rt ? back('unsupported_response_type') : back('invalid_request', 'response_type is required');
    }
    let scopes = q.get('scope');
    if (scopes === null || scopes === '') {
      scopes = client.allowed_scopes.slice();
    } else {
      scopes = scopes.split(/[ +]+/).filter(Boolean);
      for (const s of scopes) {
        if (!ALLOWED_SCOPES.includes(s) || !client.allowed_scopes.includes(s)) return back('invalid_scope');
      }
    }
    const challenge = q.get('code_challenge');
    const method = q.get('code_challenge_method');
    if (!challenge) return back('invalid_request', 'code_challenge is required');
    if (method !== 'S256') return back('invalid_request', 'code_challenge_method must be S256');
    if (!/^[A-Za-z0-9_-]{43}$/.test(challenge)) return back('invalid_request', 'malformed code_challenge');
    return {
      params: {
        client,
        redirectUri,
        state,
        scopes,
        challenge,
        nonce: q.get('nonce'),
        prompt: q.get('prompt'),
      },
    };
  }

  sendBack (res, { redirectUri, state, error, description }) {
    const u = new URL(redirectUri);
    u.searchParams.set('error', error);
    if (description) u.searchParams.set('error_description', description);
    if (state !== null && state !== undefined) u.searchParams.set('state', state);
    this.redirect(res, u.toString());
  }

  sessionOf (req) {
    const m = /(?:^|;\s*)cognito=([A-Za-z0-9_-]+)/.exec(req.headers.cookie || '');
    if (!m) return null;
    const s = this.sessions.get(m[1]);
    if (!s || s.expires < now()) return null;
    return s;
  }

  authorize (req, res, u) {
    const r = this.checkAuthorize(u.searchParams);
    if (r.error) {
      const client = r.client ? `&client_id=${encodeURIComponent(r.client.client_id)}` : '';
      return this.redirect(res, `/error?error=${encodeURIComponent(r.error)}${client}`);
    }
    if (r.redirectError) return this.sendBack(res, r.redirectError);
    const session = this.sessionOf(req);
    if (session && r.params.prompt !== 'login') {
      return this.finishLogin(res, r.params, session.user, session.authTime);
    }
    this.redirect(res, `/login?${u.searchParams.toString()}`);
  }

  loginPage (req, res, u, message = null, status = 200) {
    const r = this.checkAuthorize(u.searchParams);
    if (r.error) return this.errorPage(res, r.error);
    if (r.redirectError) return this.sendBack(res, r.redirectError);
    const csrf = b64url(randomBytes(18));
    this.csrf.set(csrf, now() + 3600);
    const action = `/login?${htmlEscape(u.searchParams.toString())}`;
    const msg = message ? `<p id="loginErrorMessage" class="error" role="alert">${htmlEscape(message)}</p>` : '';
    this.html(res, status, page('Signin', `<h1>Sign in with your email and password</h1>
<p class="pool">${htmlEscape(this.opts.appName)} — ${htmlEscape(this.poolId)}</p>
${msg}
<form name="cognitoSignInForm" method="post" action="${action}">
  <input type="hidden" name="_csrf" value="${csrf}">
  <label for="signInFormUsername">Username</label>
  <input id="signInFormUsername" name="username" type="text" autocomplete="username" autocapitalize="none" required>
  <label for="signInFormPassword">Password</label>
  <input id="signInFormPassword" name="password" type="password" autocomplete="current-password" required>
  <button type="submit" name="signInSubmitButton" id="signInSubmitButton">Sign in</button>
</form>`));
  }

  async loginPost (req, res, u) {
    const form = parseForm(await readBody(req, 65536));
    const r = this.checkAuthorize(u.searchParams);
    if (r.error) return this.errorPage(res, r.error);
    if (r.redirectError) return this.sendBack(res, r.redirectError);
    const csrf = form.get('_csrf') || '';
    const csrfExp = this.csrf.get(csrf);
    this.csrf.delete(csrf);
    if (!csrfExp || csrfExp < now()) {
      return this.loginPage(req, res, u, 'Your session has expired. Please sign in again.', 200);
    }
    const user = this.findUser(form.get('username'));
    if (!user || !safeEqual(user.password, form.get('password') || '')) {
      return this.loginPage(req, res, u, 'Incorrect username or password.', 200);
    }
    const sid = b64url(randomBytes(24));
    const authTime = now();
    this.sessions.set(sid, { user, authTime, expires: authTime + SESSION_LIFETIME });
    this.finishLogin(res, r.params, user, authTime, {
      'set-cookie': `cognito=${sid}; Path=/; HttpOnly; SameSite=Lax`,
    });
  }

  finishLogin (res, params, user, authTime, extra = {}) {
    const code = uuid();
    this.codes.set(code, { ...params, user, authTime, expires: now() + CODE_LIFETIME });
    const u = new URL(params.redirectUri);
    u.searchParams.set('code', code);
    if (params.state !== null && params.state !== undefined) u.searchParams.set('state', params.state);
    this.redirect(res, u.toString(), extra);
  }

  // ---- token endpoint ---------------------------------------------------

  // Client authentication as Cognito does it: a secret only as HTTP Basic.
  authenticateClient (req, form) {
    const auth = req.headers.authorization;
    if (form.has('client_secret')) return { error: 'invalid_client', description: 'client_secret must be sent with HTTP Basic' };
    if (auth) {
      const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(auth);
      if (!m) return { error: 'invalid_client' };
      const raw = Buffer.from(m[1], 'base64').toString('utf8');
      const i = raw.indexOf(':');
      if (i < 0) return { error: 'invalid_client' };
      let id, secret;
      try {
        id = decodeURIComponent(raw.slice(0, i).replace(/\+/g, ' '));
        secret = decodeURIComponent(raw.slice(i + 1).replace(/\+/g, ' '));
      } catch {
        return { error: 'invalid_client' };
      }
      const client = this.clients.get(id);
      if (!client || !client.client_secret || !safeEqual(client.client_secret, secret)) return { error: 'invalid_client' };
      if (form.has('client_id') && form.get('client_id') !== id) return { error: 'invalid_client' };
      return { client };
    }
    const client = this.clients.get(form.get('client_id') || '');
    if (!client) return { error: 'invalid_client' };
    if (client.client_secret) return { error: 'invalid_client', description: 'Client authentication is required (HTTP Basic)' };
    return { client };
  }

  async token (req, res) {
    if (req.method !== 'POST') return this.oauthError(res, 405, 'invalid_request', 'use POST');
    const ct = (req.headers['content-type'] || '').split(';')[0].trim().toLowerCase();
    const body = await readBody(req, 65536);
    if (ct !== 'application/x-www-form-urlencoded') return this.oauthError(res, 400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
    const form = parseForm(body);
    const a = this.authenticateClient(req, form);
    if (a.error) return this.oauthError(res, 400, a.error, a.description);
    const client = a.client;
    const gt = form.get('grant_type');
    if (gt === 'authorization_code') return this.codeGrant(res, client, form);
    if (gt === 'refresh_token') return this.refreshGrant(res, client, form);
    if (!gt) return this.oauthError(res, 400, 'invalid_request', 'grant_type is required');
    return this.oauthError(res, 400, 'unsupported_grant_type');
  }

  async codeGrant (res, client, form) {
    const code = form.get('code') || '';
    const c = this.codes.get(code);
    this.codes.delete(code);
    if (!c || c.expires < now() || c.client.client_id !== client.client_id) return this.oauthError(res, 400, 'invalid_grant');
    if (form.get('redirect_uri') !== c.redirectUri) return this.oauthError(res, 400, 'invalid_grant', 'redirect_uri does not match');
    const verifier = form.get('code_verifier') || '';
    if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return this.oauthError(res, 400, 'invalid_grant', 'code_verifier is missing or malformed');
    const expected = createHash('sha256').update(verifier).digest('base64url');
    if (!safeEqual(expected, c.challenge)) return this.oauthError(res, 400, 'invalid_grant', 'code_verifier does not match the code_challenge');
    const family = uuid();
    const grant = { client, user: c.user, scopes: c.scopes, authTime: c.authTime, family };
    const tokens = await this.mintTokens(grant, c.nonce);
    const rt = this.newRefreshToken(grant);
    this.json(res, 200, { ...tokens, refresh_token: rt });
  }

  newRefreshToken (grant) {
    // Shaped like Cognito's (a JWE), but opaque here.
    const header = b64url(JSON.stringify({ cty: 'JWT', enc: 'A256GCM', alg: 'RSA-OAEP' }));
    const value = [header, b64url(randomBytes(256)), b64url(randomBytes(12)), b64url(randomBytes(900)), b64url(randomBytes(16))].join('.');
    this.refreshTokens.set(value, {
      ...grant,
      expiresMs: Date.now() + this.opts.refreshTokenLifetime * 1000,
      revoked: false,
      replacedAt: null,
    });
    return value;
  }

  async refreshGrant (res, client, form) {
    const value = form.get('refresh_token') || '';
    const t = this.refreshTokens.get(value);
    const expired = t && t.expiresMs <= Date.now();
    if (!t || t.revoked || this.revokedOrigins.has(t.family) || expired || t.client.client_id !== client.client_id) {
      return this.oauthError(res, 400, 'invalid_grant', expired ? 'Refresh Token has expired' : 'Invalid Refresh Token');
    }
    const grace = this.opts.refreshTokenGraceSeconds * 1000;
    if (t.replacedAt !== null && (grace <= 0 || Date.now() > t.replacedAt + grace)) {
      return this.oauthError(res, 400, 'invalid_grant', 'Invalid Refresh Token');
    }
    const tokens = await this.mintTokens(t, null);
    if (this.opts.rotateRefreshTokens) {
      if (t.replacedAt === null) t.replacedAt = Date.now();
      const rt = this.newRefreshToken({ client: t.client, user: t.user, scopes: t.scopes, authTime: t.authTime, family: t.family });
      return this.json(res, 200, { ...tokens, refresh_token: rt });
    }
    this.json(res, 200, tokens);
  }

  async mintTokens (grant, nonce) {
    const t = now();
    const { user, client, scopes, family } = grant;
    const originJti = family;
    const eventId = uuid();
    const access = await new SignJWT({
      sub: user.sub,
      iss: this.issuer,
      client_id: client.client_id,
      origin_jti: originJti,
      event_id: eventId,
      token_use: 'access',
      scope: scopes.join(' '),
      auth_time: grant.authTime,
      exp: t + this.opts.accessTokenLifetime,
      iat: t,
      jti: uuid(),
      username: user.username,
    })
      .setProtectedHeader({ kid: this.signingKey.kid, alg: 'RS256' })
      .sign(this.signingKey.privateKey);
    const out = { access_token: access, expires_in: this.opts.accessTokenLifetime, token_type: 'Bearer' };
    if (scopes.includes('openid')) {
      const h = createHash('sha256').update(access).digest();
      const claims = {
        at_hash: b64url(h.subarray(0, 16)),
        sub: user.sub,
        email_verified: true,
        iss: this.issuer,
        'cognito:username': user.username,
        origin_jti: originJti,
        aud: client.client_id,
        event_id: eventId,
        token_use: 'id',
        auth_time: grant.authTime,
        exp: t + this.opts.idTokenLifetime,
        iat: t,
        jti: uuid(),
        email: user.email,
      };
      if (nonce) claims.nonce = nonce;
      if (scopes.includes('profile') && user.name) claims.name = user.name;
      out.id_token = await new SignJWT(claims)
        .setProtectedHeader({ kid: this.signingKey.kid, alg: 'RS256' })
        .sign(this.signingKey.privateKey);
    }
    return out;
  }

  // Verifies an ID token as the identity side does; throws with a
  // Cognito-like reason.
  async verifyIdToken (token, allowedAudiences) {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.localJwks, { algorithms: ['RS256'] }));
    } catch (err) {
      if (err.code === 'ERR_JWT_EXPIRED') throw new Error(`Invalid login token. Token expired: ${new Date((err.payload?.exp ?? 0) * 1000).toUTCString()} >= ${new Date().toUTCString()}`);
      if (err.code === 'ERR_JWKS_NO_MATCHING_KEY' || err.code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') throw new Error('Invalid login token. Token signature invalid.');
      throw new Error('Invalid login token. Not a valid OpenId Connect identity token.');
    }
    if (payload.iss !== this.issuer) throw new Error("Invalid login token. Issuer doesn't match providerName");
    if (payload.token_use !== 'id') throw new Error('Invalid login token. Not a valid OpenId Connect identity token.');
    const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (!aud.some((a) => allowedAudiences.includes(a))) throw new Error('Invalid login token. Incorrect token audience.');
    return payload;
  }

  // ---- userInfo, revoke, logout ----------------------------------------

  async userInfo (req, res) {
    if (req.method !== 'GET' && req.method !== 'POST') return this.oauthError(res, 405, 'invalid_request');
    if (req.method === 'POST') await readBody(req, 65536);
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization || '');
    const deny = (d) => this.json(res, 401, { error: 'invalid_token', error_description: d },
      { 'www-authenticate': `Bearer error="invalid_token", error_description="${d}"` });
    if (!m) return deny('Access token is missing');
    let payload;
    try {
      ({ payload } = await jwtVerify(m[1], this.localJwks, { algorithms: ['RS256'], issuer: this.issuer }));
    } catch {
      return deny('Access token is expired or invalid');
    }
    if (payload.token_use !== 'access' || this.revokedOrigins.has(payload.origin_jti)) return deny('Access token has been revoked');
    if (!String(payload.scope || '').split(' ').includes('openid')) return deny('Access token does not contain openid scope');
    const user = this.users.find((x) => x.sub === payload.sub);
    if (!user) return deny('User does not exist.');
    this.json(res, 200, { sub: user.sub, email_verified: 'true', email: user.email, username: user.username });
  }

  async revoke (req, res) {
    if (req.method !== 'POST') return this.oauthError(res, 405, 'invalid_request');
    const form = parseForm(await readBody(req, 65536));
    const a = this.authenticateClient(req, form);
    if (a.error) return this.oauthError(res, 400, a.error, a.description);
    const value = form.get('token');
    if (!value) return this.oauthError(res, 400, 'invalid_request', 'token is required');
    const t = this.refreshTokens.get(value);
    if (!t) {
      if (value.split('.').length === 3) return this.oauthError(res, 400, 'unsupported_token_type');
      res.writeHead(200, { 'content-length': '0' });
      return res.end();
    }
    if (t.client.client_id !== a.client.client_id) return this.oauthError(res, 400, 'unauthorized_client');
    // Revokes this token, its rotation family and the access tokens issued from it.
    for (const [, other] of this.refreshTokens) if (other.family === t.family) other.revoked = true;
    this.revokedOrigins.add(t.family);
    res.writeHead(200, { 'content-length': '0' });
    res.end();
  }

  logout (req, res, u) {
    const q = u.searchParams;
    const client = this.clients.get(q.get('client_id') || '');
    if (!client) return this.redirect(res, '/error?error=invalid_request');
    const clearCookie = { 'set-cookie': 'cognito=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax' };
    const m = /(?:^|;\s*)cognito=([A-Za-z0-9_-]+)/.exec(req.headers.cookie || '');
    const dropSession = () => { if (m) this.sessions.delete(m[1]); };
    const logoutUri = q.get('logout_uri');
    if (logoutUri) {
      if (!client.logout_uris.includes(logoutUri)) {
        return this.redirect(res, `/error?error=redirect_mismatch&client_id=${encodeURIComponent(client.client_id)}`);
      }
      dropSession();
      return this.redirect(res, logoutUri, clearCookie);
    }
    const redirectUri = q.get('redirect_uri');
    if (redirectUri && q.get('response_type')) {
      if (!client.redirect_uris.includes(redirectUri)) {
        return this.redirect(res, `/error?error=redirect_mismatch&client_id=${encodeURIComponent(client.client_id)}`);
      }
      dropSession();
      const q2 = new URLSearchParams(q);
      q2.delete('logout_uri');
      return this.redirect(res, `/login?${q2.toString()}`, clearCookie);
    }
    this.redirect(res, `/error?error=${encodeURIComponent('Required String parameter \'logout_uri\' is not present')}`);
  }
}

function page (title, body) {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${htmlEscape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:sans-serif;max-width:24em;margin:3em auto}label,input,button{display:block;width:100%;margin:.3em 0}
input,button{padding:.5em;font-size:1em}.error{color:#b00}</style></head>
<body>${body}</body></html>
`;
}
