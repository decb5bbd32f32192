// Cognito Identity and STS judged with the official SDK clients.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { SignJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import { GetIdCommand, GetCredentialsForIdentityCommand, GetOpenIdTokenCommand } from '@aws-sdk/client-cognito-identity';
import { AssumeRoleWithWebIdentityCommand } from '@aws-sdk/client-sts';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { startStandIn } from '../index.mjs';
import { headlessLogin } from '../lib/login.mjs';
import { identityClient, stsClient, s3Client } from './helpers.mjs';

let sim, ci, sts, idToken, logins;

before(async () => {
  sim = await startStandIn({ demo: true });
  ci = identityClient(sim);
  sts = stsClient(sim);
  idToken = (await headlessLogin(sim.info)).tokens.id_token;
  logins = { [sim.info.logins_key]: idToken };
});
after(async () => { await sim?.stop(); });

const pool = () => sim.info.identity_pool_id;

test('enhanced flow: GetId → GetCredentialsForIdentity → credentials S3 accepts', async () => {
  assert.equal(sim.info.logins_key, sim.info.issuer.replace('http://', ''));
  const { IdentityId } = await ci.send(new GetIdCommand({ IdentityPoolId: pool(), Logins: logins }));
  assert.match(IdentityId, /^us-east-1:[0-9a-f-]{36}$/);
  const again = await ci.send(new GetIdCommand({ IdentityPoolId: pool(), Logins: logins }));
  assert.equal(again.IdentityId, IdentityId, 'stable per user');
  const before = Date.now();
  const r = await ci.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: logins }));
  assert.equal(r.IdentityId, IdentityId);
  const c = r.Credentials;
  assert.match(c.AccessKeyId, /^ASIA[A-Z2-7]{16}$/);
  assert.equal(c.SecretKey.length, 40);
  assert.ok(c.SessionToken.length >= 780 && /[+]/.test(c.SessionToken) && /\//.test(c.SessionToken) && c.SessionToken.endsWith('='));
  assert.ok(c.Expiration instanceof Date);
  assert.ok(c.Expiration.getTime() >= before - 1000 + 3600 * 1000 && c.Expiration.getTime() <= Date.now() + 3600 * 1000);
  const s3 = s3Client(sim, { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretKey, sessionToken: c.SessionToken });
  const l = await s3.send(new ListObjectsV2Command({ Bucket: 'demo-lab', Prefix: sim.info.demo.prefix }));
  assert.equal(l.KeyCount, 8);
});

test('basic flow: GetOpenIdToken → AssumeRoleWithWebIdentity', async () => {
  const { IdentityId } = await ci.send(new GetIdCommand({ IdentityPoolId: pool(), Logins: logins }));
  const { Token } = await ci.send(new GetOpenIdTokenCommand({ IdentityId, Logins: logins }));
  const claims = decodeJwt(Token);
  assert.equal(claims.aud, pool());
  assert.equal(claims.sub, IdentityId);
  assert.ok(claims.amr.includes('authenticated'));
  const t0 = Date.now();
  const r = await sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: sim.info.role_arn, RoleSessionName: 'ana@lab.org', WebIdentityToken: Token, DurationSeconds: 900 }));
  assert.equal(r.SubjectFromWebIdentityToken, IdentityId);
  assert.equal(r.AssumedRoleUser.Arn, 'arn:aws:sts::123456789012:assumed-role/GenokeyDemoAuthRole/ana@lab.org');
  assert.equal(r.Provider, 'cognito-identity.amazonaws.com');
  assert.equal(r.Audience, pool());
  assert.ok(r.Credentials.Expiration.getTime() >= t0 - 1000 + 900 * 1000 && r.Credentials.Expiration.getTime() <= Date.now() + 900 * 1000);
  const s3 = s3Client(sim, { accessKeyId: r.Credentials.AccessKeyId, secretAccessKey: r.Credentials.SecretAccessKey, sessionToken: r.Credentials.SessionToken });
  assert.equal((await s3.send(new ListObjectsV2Command({ Bucket: 'demo-lab', Prefix: sim.info.demo.prefix }))).KeyCount, 8);
});

test('STS refuses DurationSeconds out of bounds, bad session names, other roles and foreign tokens', async () => {
  const { IdentityId } = await ci.send(new GetIdCommand({ IdentityPoolId: pool(), Logins: logins }));
  const { Token } = await ci.send(new GetOpenIdTokenCommand({ IdentityId, Logins: logins }));
  const call = (over) => sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: sim.info.role_arn, RoleSessionName: 'ana', WebIdentityToken: Token, ...over }));
  for (const DurationSeconds of [899, 43201]) {
    await assert.rejects(call({ DurationSeconds }), (e) => e.name === 'ValidationError' && /durationSeconds/.test(e.message) && e.$metadata.httpStatusCode === 400);
  }
  await call({ DurationSeconds: 43200 });
  for (const RoleSessionName of ['a', 'x'.repeat(65), 'has space', 'semi;colon']) {
    await assert.rejects(call({ RoleSessionName }), (e) => e.name === 'ValidationError' && /roleSessionName/.test(e.message));
  }
  await call({ RoleSessionName: 'a+b=c,d.e@f-g_h' });
  await assert.rejects(call({ RoleArn: 'arn:aws:iam::123456789012:role/SomeoneElse' }), (e) => e.name === 'AccessDenied' && e.$metadata.httpStatusCode === 403);
  await assert.rejects(call({ WebIdentityToken: idToken }), (e) => e.name === 'InvalidIdentityTokenException');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const forged = await new SignJWT(decodeJwt(Token)).setProtectedHeader(decodeProtectedHeader(Token)).sign(privateKey);
  await assert.rejects(call({ WebIdentityToken: forged }), (e) => e.name === 'InvalidIdentityTokenException');
  // The raw query API: GET and an ErrorResponse document.
  const q = new URLSearchParams({ Action: 'AssumeRoleWithWebIdentity', Version: '2011-06-15', RoleArn: sim.info.role_arn, RoleSessionName: 'ana', WebIdentityToken: Token, DurationSeconds: '100' });
  const r = await fetch(`${sim.info.sts_endpoint}?${q}`);
  assert.equal(r.status, 400);
  assert.match(await r.text(), /^<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">\s*<Error>\s*<Type>Sender<\/Type>\s*<Code>ValidationError<\/Code>/);
  sim.options.roleMaxSessionDuration = 3600;
  try {
    await assert.rejects(call({ DurationSeconds: 7200 }), (e) => e.name === 'ValidationError' && /MaxSessionDuration/.test(e.message));
  } finally {
    sim.options.roleMaxSessionDuration = 43200;
  }
});

test('ID tokens signed by another key, for another audience, or expired are NotAuthorized', async () => {
  const claims = decodeJwt(idToken);
  const header = decodeProtectedHeader(idToken);
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const sign = (c, key = privateKey, h = header) => new SignJWT(c).setProtectedHeader(h).sign(key);
  const bad = async (token, re) => assert.rejects(
    ci.send(new GetIdCommand({ IdentityPoolId: pool(), Logins: { [sim.info.logins_key]: token } })),
    (e) => e.name === 'NotAuthorizedException' && e.$metadata.httpStatusCode === 400 && re.test(e.message));
  await bad(await sign(claims), /signature/i);
  const key = sim.options.signingKey.privateKey; // the pool's own key, to isolate each check
  await bad(await sign({ ...claims, aud: 'someotherclient0000000000' }, key), /audience/i);
  await bad(await sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 10 }, key), /expired/i);
  await bad(await sign({ ...claims, iss: 'http://127.0.0.1:1/us-east-1_Other' }, key), /issuer/i);
  await bad(await sign({ ...claims, token_use: 'access' }, key), /identity token/i);
  await bad(await sign(claims, key, { ...header, alg: 'RS256', kid: 'unknown' }), /signature/i);
  await assert.rejects(ci.send(new GetIdCommand({ IdentityPoolId: pool(), Logins: { 'cognito-idp.us-east-1.amazonaws.com/us-east-1_Other': idToken } })),
    (e) => e.name === 'NotAuthorizedException' && /provider/.test(e.message));
  await assert.rejects(ci.send(new GetIdCommand({ IdentityPoolId: 'us-east-1:00000000-0000-0000-0000-000000000000', Logins: logins })),
    (e) => e.name === 'ResourceNotFoundException');
  // The confidential client's tokens are accepted too (both are pool clients).
  const conf = await headlessLogin(sim.info, { client: 'confidential' });
  await ci.send(new GetIdCommand({ IdentityPoolId: pool(), Logins: { [sim.info.logins_key]: conf.tokens.id_token } }));
});

test('credentials need the matching Logins; another user cannot take an identity', async () => {
  const { IdentityId } = await ci.send(new GetIdCommand({ IdentityPoolId: pool(), Logins: logins }));
  await assert.rejects(ci.send(new GetCredentialsForIdentityCommand({ IdentityId })), (e) => e.name === 'NotAuthorizedException');
  const ben = await headlessLogin(sim.info, { username: 'ben@lab.org', password: sim.info.users[1].password });
  await assert.rejects(ci.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: { [sim.info.logins_key]: ben.tokens.id_token } })),
    (e) => e.name === 'NotAuthorizedException');
  await assert.rejects(ci.send(new GetCredentialsForIdentityCommand({ IdentityId: 'us-east-1:00000000-0000-4000-8000-000000000000', Logins: logins })),
    (e) => e.name === 'ResourceNotFoundException');
});

test('unauthenticated identities only when allowed; classic flow switch', async () => {
  await assert.rejects(ci.send(new GetIdCommand({ IdentityPoolId: pool() })),
    (e) => e.name === 'NotAuthorizedException' && /Unauthenticated access is not supported/.test(e.message));
  sim.options.allowUnauthenticated = true;
  try {
    const { IdentityId } = await ci.send(new GetIdCommand({ IdentityPoolId: pool() }));
    const r = await ci.send(new GetCredentialsForIdentityCommand({ IdentityId }));
    assert.match(r.Credentials.AccessKeyId, /^ASIA/);
    const { Token } = await ci.send(new GetOpenIdTokenCommand({ IdentityId }));
    await assert.rejects(sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: sim.info.role_arn, RoleSessionName: 'anon', WebIdentityToken: Token })),
      (e) => e.name === 'AccessDenied', 'the authenticated role does not trust unauthenticated identities');
  } finally {
    sim.options.allowUnauthenticated = false;
  }
  const { IdentityId } = await ci.send(new GetIdCommand({ IdentityPoolId: pool(), Logins: logins }));
  sim.options.allowClassicFlow = false;
  try {
    await assert.rejects(ci.send(new GetOpenIdTokenCommand({ IdentityId, Logins: logins })),
      (e) => e.name === 'InvalidParameterException' && /classic/.test(e.message));
  } finally {
    sim.options.allowClassicFlow = true;
  }
});

test('throttling answers TooManyRequestsException the given number of times', async () => {
  sim.throttle(2);
  for (let i = 0; i < 2; i++) {
    await assert.rejects(ci.send(new GetIdCommand({ IdentityPoolId: pool(), Logins: logins })), (e) => e.name === 'TooManyRequestsException');
  }
  await ci.send(new GetIdCommand({ IdentityPoolId: pool(), Logins: logins }));
  const r = await fetch(sim.info.cognito_identity_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityService.GetId' },
    body: JSON.stringify({ IdentityPoolId: pool() }),
  });
  assert.equal(r.status, 400);
  const body = await r.json();
  assert.deepEqual(Object.keys(body).sort(), ['__type', 'message']);
  assert.equal(body.__type, 'NotAuthorizedException');
});

test('credential lifetime is configurable and expired credentials stop working in S3', async () => {
  const short = await startStandIn({ credentialLifetime: 3, demo: false });
  try {
    short.createBucket('short-lab');
    const tokens = (await headlessLogin(short.info)).tokens;
    const l = { [short.info.logins_key]: tokens.id_token };
    const c2 = identityClient(short);
    const { IdentityId } = await c2.send(new GetIdCommand({ IdentityPoolId: short.info.identity_pool_id, Logins: l }));
    const { Credentials: c } = await c2.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: l }));
    assert.ok(c.Expiration.getTime() - Date.now() <= 3000);
    const wait = c.Expiration.getTime() - Date.now() + 200;
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const s3 = s3Client(short, { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretKey, sessionToken: c.SessionToken });
    await assert.rejects(s3.send(new ListObjectsV2Command({ Bucket: 'short-lab' })), (e) => e.name === 'ExpiredToken');
  } finally {
    await short.stop();
  }
});

test('with cognitoIssuer, tokens carry Cognito\'s issuer and the identity pool knows the pool by it', async () => {
  const real = await startStandIn({ demo: false, cognitoIssuer: true });
  try {
    const { info } = real;
    assert.equal(info.issuer, 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_DemoPool1');
    assert.equal(info.logins_key, 'cognito-idp.us-east-1.amazonaws.com/us-east-1_DemoPool1');
    // The keys are still served here, and the discovery document says where.
    assert.match(info.jwks_uri, /^http:\/\/127\.0\.0\.1:\d+\/us-east-1_DemoPool1\/\.well-known\/jwks\.json$/);
    const discovery = await (await fetch(info.jwks_uri.replace('jwks.json', 'openid-configuration'))).json();
    assert.equal(discovery.issuer, info.issuer);
    assert.equal(discovery.jwks_uri, info.jwks_uri);
    const token = (await headlessLogin(info)).tokens.id_token;
    assert.equal(decodeJwt(token).iss, info.issuer);
    const client = identityClient(real);
    const { IdentityId } = await client.send(new GetIdCommand({ IdentityPoolId: info.identity_pool_id, Logins: { [info.logins_key]: token } }));
    const r = await client.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: { [info.logins_key]: token } }));
    assert.match(r.Credentials.AccessKeyId, /^ASIA/);
    // The loopback name of the pool is not a provider of this identity pool.
    const loopbackKey = info.jwks_uri.replace(/^http:\/\//, '').replace('/.well-known/jwks.json', '');
    await assert.rejects(client.send(new GetIdCommand({ IdentityPoolId: info.identity_pool_id, Logins: { [loopbackKey]: token } })),
      (e) => e.name === 'NotAuthorizedException' && /provider/.test(e.message));
  } finally {
    await real.stop();
  }
});
