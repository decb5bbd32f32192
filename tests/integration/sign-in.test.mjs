// genokey login / status / credential-process / env / logout against the
// local AWS stand-in, with a real gnome-keyring (run under
// keyring-session.sh). Each test has its own stand-in and callback port.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tokenRequest } from '../aws-sim/lib/login.mjs';
import {
  awsS3Ls, credentialProcess, genokey, keyringItems, keyringLookup, login, overheadMs, run,
  setUp, signIn,
} from './lib/genokey-cli.mjs';

test('enhanced flow, public client: login, keyring, status and credential-process', async (t) => {
  const sim = await setUp(t, 'lab');
  const r = await signIn(sim, 'lab');
  assert.match(r.stdout, /^Signed in as ana@lab\.org — credentials valid until \d\d:\d\d$/m);
  // How to use the sign-in from the AWS CLI, on stderr (stdout is for scripts).
  assert.match(r.stderr, /^ {2}credential_process = genokey credential-process --profile lab$/m);
  assert.ok(!r.stdout.includes('credential_process'));
  const ms = overheadMs(r.stderr);
  assert.ok(ms !== null && ms > 0);
  console.log(`sign-in overhead (redirect → credentials stored): ${ms} ms`);

  const items = await keyringItems('lab');
  assert.match(items, /attribute\.kind = refresh-token/);
  assert.match(items, /attribute\.kind = credentials/);
  assert.match(items, /attribute\.kind = identity-id/);
  const refresh = await keyringLookup('lab', 'refresh-token');
  assert.ok(refresh && refresh.length > 10);
  assert.ok(!items.includes(refresh), 'no secret in labels or attributes');

  // A new process (as after a restart) is signed in without a browser.
  const status = JSON.parse((await genokey(['status', '--profile', 'lab', '--json'])).stdout);
  assert.equal(status.state, 'signed-in');
  assert.equal(status.email, 'ana@lab.org');
  assert.equal(status.keyring, 'secret-service');
  assert.equal(status.credentials_valid, true);
  const text = await genokey(['status', '--profile', 'lab']);
  assert.match(text.stdout, /Signed in as: ana@lab\.org/);
  assert.ok(!text.stdout.includes(refresh) && !JSON.stringify(status).includes(refresh));

  const c = await credentialProcess('lab');
  assert.equal(c.Version, 1);
  assert.match(c.AccessKeyId, /^ASIA/);
  assert.ok(c.SecretAccessKey && c.SessionToken);
  assert.match(c.Expiration, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.ok(c.expiresAt > Date.now() + 15 * 60_000, 'more than 15 minutes left');
});

test('Ctrl-C during login cancels and closes the port', async (t) => {
  const sim = await setUp(t, 'cancel');
  const r = await genokey(['login', '--no-browser', '--profile', 'cancel'], {
    onStdout (out, child) {
      if (/^http/m.test(out)) child.kill('SIGINT');
    },
  });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /cancelled/);
  const refused = await fetch(`http://127.0.0.1:${sim.callbackPort}/oauthCallback`)
    .then(() => false, () => true);
  assert.ok(refused, 'the callback port is closed');
});

test('confidential client: the secret goes as HTTP Basic and sign-in works', async (t) => {
  const sim = await setUp(t, 'conf', { kind: 'confidential' });
  const r = await signIn(sim, 'conf');
  assert.match(r.stdout, /Signed in as ana@lab\.org/);
  const c = await credentialProcess('conf');
  assert.match(c.AccessKeyId, /^ASIA/);
});

test('basic flow: GetOpenIdToken and STS AssumeRoleWithWebIdentity', async (t) => {
  const sim = await setUp(t, 'basic', { kind: 'basic' });
  const r = await signIn(sim, 'basic', { user: sim.info.users[1] });
  assert.match(r.stdout, /Signed in as ben@lab\.org/);
  const c = await credentialProcess('basic');
  assert.match(c.AccessKeyId, /^ASIA/);
});

test('basic flow disabled in the identity pool: the message says what to change', async (t) => {
  const sim = await setUp(t, 'basicoff', { kind: 'basic', sim: { allowClassicFlow: false } });
  const r = await login(sim, 'basicoff');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /basic \(classic\) flow/);
  assert.match(r.stderr, /aws_cognito_role_arn/);
  const status = JSON.parse((await genokey(['status', '--profile', 'basicoff', '--json'])).stdout);
  assert.equal(status.state, 'signed-out');
});

test('refresh-token rotation: the new token replaces the old, which stays as fallback once', async (t) => {
  const sim = await setUp(t, 'rot', { sim: { rotateRefreshTokens: true, credentialLifetime: 60 } });
  await signIn(sim, 'rot');
  const t0 = await keyringLookup('rot', 'refresh-token');
  await credentialProcess('rot'); // less than 15 min left: renews
  const t1 = await keyringLookup('rot', 'refresh-token');
  assert.notEqual(t1, t0);
  assert.equal(await keyringLookup('rot', 'previous-refresh-token'), t0);
  await credentialProcess('rot');
  const t2 = await keyringLookup('rot', 'refresh-token');
  assert.notEqual(t2, t1);
  assert.equal(await keyringLookup('rot', 'previous-refresh-token'), t1);
  // the old one is dead at the identity provider
  const old = await tokenRequest(sim.info, { grant_type: 'refresh_token', refresh_token: t0 });
  assert.equal(old.status, 400);
});

test('concurrent processes renew one at a time (flock), so rotation never locks them out', async (t) => {
  const sim = await setUp(t, 'many', { sim: { rotateRefreshTokens: true, credentialLifetime: 60 } });
  await signIn(sim, 'many');
  // Each of these renews (60-second credentials are under the 15-minute
  // margin). Without the lock two of them would send the same refresh
  // token, and with rotation and no grace the second would be refused.
  const runs = await Promise.all([1, 2, 3, 4].map(() => genokey(['credential-process', '--profile', 'many'])));
  for (const r of runs) assert.equal(r.status, 0, r.stderr);
  const status = JSON.parse((await genokey(['status', '--profile', 'many', '--json'])).stdout);
  assert.equal(status.state, 'signed-in');
  const c = await credentialProcess('many');
  assert.match(c.AccessKeyId, /^ASIA/);
});

test('a crash in the middle of rotation does not lock the user out', async (t) => {
  const sim = await setUp(t, 'crash', {
    sim: { rotateRefreshTokens: true, refreshTokenGraceSeconds: 60, credentialLifetime: 60 },
  });
  await signIn(sim, 'crash');
  for (const point of ['0', '1', '2']) {
    const before = await keyringLookup('crash', 'refresh-token');
    const r = await genokey(['credential-process', '--profile', 'crash'],
      { env: { GK_TEST_CRASH_IN_ROTATION: point } });
    assert.equal(r.status, 99, `died at crash point ${point}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    const after = await keyringLookup('crash', 'refresh-token');
    const previous = await keyringLookup('crash', 'previous-refresh-token');
    if (point === '2') assert.notEqual(after, before, 'new token stored');
    else assert.equal(after, before, 'old token still there');
    if (point !== '0') assert.equal(previous, before, 'old token kept as the fallback');
    // the next run still gets credentials, with no browser
    const c = await credentialProcess('crash');
    assert.match(c.AccessKeyId, /^ASIA/);
  }
});

test('a refused refresh token: needs sign-in, and the keyring keeps it', async (t) => {
  const sim = await setUp(t, 'refused', { sim: { credentialLifetime: 90 } });
  await signIn(sim, 'refused');
  const token = await keyringLookup('refused', 'refresh-token');
  const rv = await fetch(sim.info.hosted_ui.revocation_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token, client_id: sim.info.clients.public.client_id }).toString(),
  });
  assert.equal(rv.status, 200);
  // the 60-second credentials still work: handed out, with the reason
  let r = await genokey(['credential-process', '--profile', 'refused']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /renewal failed/);
  // less than a minute left: no longer handed out
  await new Promise((resolve) => setTimeout(resolve, 35_000));
  r = await genokey(['credential-process', '--profile', 'refused']);
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /genokey login --profile refused/);
  assert.ok(!r.stderr.includes(token));
  assert.equal(await keyringLookup('refused', 'refresh-token'), token, 'never deleted');
});

test('logout revokes the refresh token and empties the keyring', async (t) => {
  const sim = await setUp(t, 'out');
  await signIn(sim, 'out');
  const token = await keyringLookup('out', 'refresh-token');
  const r = await genokey(['logout', '--profile', 'out']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Signed out of profile out/);
  assert.equal(await keyringItems('out'), '');
  const refused = await tokenRequest(sim.info, { grant_type: 'refresh_token', refresh_token: token });
  assert.equal(refused.status, 400);
  assert.equal(refused.body.error, 'invalid_grant');
  const status = JSON.parse((await genokey(['status', '--profile', 'out', '--json'])).stdout);
  assert.equal(status.state, 'signed-out');
  const cp = await genokey(['credential-process', '--profile', 'out']);
  assert.equal(cp.status, 1);
  assert.match(cp.stderr, /not signed in/);
});

test('no Secret Service on the bus: memory only, and the user is told', async (t) => {
  const sim = await setUp(t, 'nokeyring');
  const dir = join(process.env.GK_TEST_SESSION_DIR ?? '/tmp', 'bare-bus');
  mkdirSync(dir, { recursive: true });
  const config = join(dir, 'bus.conf');
  // A session bus with no service directories: nothing can be activated.
  writeFileSync(config, `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:dir=${dir}</listen>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>`);
  const { spawn } = await import('node:child_process');
  const bus = spawn('dbus-daemon', ['--config-file', config, '--nofork', '--print-address=1'], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => bus.kill());
  const address = await new Promise((resolve) => bus.stdout.once('data', (d) => resolve(String(d).trim())));
  const env = { DBUS_SESSION_BUS_ADDRESS: address };
  const r = await login(sim, 'nokeyring', { env });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /No keyring is available, so you will have to sign in again next time/);
  const statusRun = await genokey(['status', '--profile', 'nokeyring', '--json'], { env });
  const status = JSON.parse(statusRun.stdout);
  assert.equal(status.keyring, 'memory');
  assert.equal(status.state, 'signed-out');
  // Every command that opens the sign-in says it is memory only.
  assert.match(statusRun.stderr, /No keyring is available/);

  // logout cannot reach what is stored: it must not claim success.
  const out = await genokey(['logout', '--profile', 'nokeyring'], { env });
  assert.equal(out.status, 1, out.stderr);
  assert.doesNotMatch(out.stdout + out.stderr, /Signed out/);
  assert.match(out.stderr, /may still be stored/);
});

test('aws s3 ls with credential_process = genokey credential-process', async (t) => {
  const sim = await setUp(t, 'demo');
  sim.createBucket('demo-lab', 'us-east-1');
  await signIn(sim, 'demo');
  const r = await awsS3Ls(sim, 'demo');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /demo-lab/);
});

test('genokey env prints shell-quoted exports that work', async (t) => {
  const sim = await setUp(t, 'envp');
  sim.createBucket('env-bucket', 'us-east-1');
  await signIn(sim, 'envp');
  const r = await genokey(['env', '--profile', 'envp']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^export AWS_ACCESS_KEY_ID='ASIA[A-Z0-9]+'$/m);
  assert.match(r.stdout, /^export AWS_REGION='us-east-1'$/m);
  assert.match(r.stdout, new RegExp(`^export AWS_ENDPOINT_URL_S3='${sim.info.s3_endpoint}'$`, 'm'));
  assert.match(r.stderr, /use “credential_process = genokey credential-process --profile envp” in ~\/\.aws\/config/);
  const aws = await run('sh', ['-c', `${r.stdout}\nexec aws s3 ls`], {
    env: { AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' },
  });
  assert.equal(aws.status, 0, aws.stderr);
  assert.match(aws.stdout, /env-bucket/);
});
