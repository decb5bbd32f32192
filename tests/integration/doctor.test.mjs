// `genokey doctor` and `genokey admin` against the stand-in, with the real
// genokey, a real gnome-keyring (keyring-session.sh) and the real AWS CLI.
// Each finding is turned on and off with the stand-in's switch, and doctor
// must report it (and not when off) with the right exit status. The
// onboarding outputs are applied to the stand-in as an admin would, and
// the findings they fix disappear; the IGV config re-imports and signs in.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CORS } from '../aws-sim/index.mjs';
import {
  credentialProcess, freePort, genokey, importProfile, run, setUp, signIn,
} from './lib/genokey-cli.mjs';
import { APP_ID, installService, waitFor } from './lib/gateway.mjs';

const LAB = 'lab-data';

// The gateway's settings live in a key file of this test's own HOME, and
// its port is one nobody holds: the default 28151 may be anyone's while
// other suites run beside this one.
const SETTINGS_ENV = { GSETTINGS_BACKEND: 'keyfile' };

async function setGatewayPort (port) {
  const r = await run('gsettings', ['set', APP_ID, 'gateway-port', String(port)], { env: SETTINGS_ENV });
  assert.equal(r.status, 0, r.stderr);
}

before(async () => {
  await setGatewayPort(await freePort());
});

/** A lab that is set up right: one bucket, CORS for the viewers, the
 * basic flow off. Options go to the stand-in; @extra to the profile. */
async function healthyLab (t, name, { sim: simOptions = {}, extra = {}, signedIn = true, kind } = {}) {
  const sim = await setUp(t, name, {
    kind,
    sim: { allowClassicFlow: false, ...simOptions },
    extra: { buckets: [LAB], ...extra },
  });
  sim.createBucket(LAB);
  sim.setBucketCors(LAB, DEFAULT_CORS);
  if (signedIn) await signIn(sim, name);
  return sim;
}

/** `genokey doctor --json`: { status, report, find(check, subject) }. */
async function doctor (name, env = {}) {
  const r = await genokey(['doctor', '--profile', name, '--json'], { env: { ...SETTINGS_ENV, ...env } });
  let report;
  try {
    report = JSON.parse(r.stdout);
  } catch {
    assert.fail(`doctor printed no JSON (status ${r.status}): ${r.stdout}\n${r.stderr}`);
  }
  const find = (check, subject) => {
    const found = report.findings.filter((f) => f.check === check && (subject === undefined || f.subject === subject));
    assert.equal(found.length, 1, `one ${check} finding${subject ? ' for ' + subject : ''} in ${JSON.stringify(report.findings, null, 1)}`);
    return found[0];
  };
  return { status: r.status, report, find, stderr: r.stderr };
}

function severities (report) {
  return report.findings.map((f) => `${f.severity} ${f.check} ${f.subject ?? ''}: ${f.title}`).join('\n');
}

/** Runs a fix as printed (sh); with @sim, the AWS CLI is pointed at the
 * stand-in's S3 with an admin's credentials. */
async function applyFix (sim, fix, env = {}) {
  let aws = {};
  if (sim) {
    const creds = await sim.issueCredentials();
    aws = {
      AWS_ACCESS_KEY_ID: creds.accessKeyId,
      AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
      AWS_SESSION_TOKEN: creds.sessionToken,
      AWS_ENDPOINT_URL_S3: sim.info.s3_endpoint,
      AWS_DEFAULT_REGION: sim.info.region,
      AWS_EC2_METADATA_DISABLED: 'true',
    };
  }
  const r = await run('sh', ['-eu', '-c', fix], { env: { ...aws, ...env } });
  assert.equal(r.status, 0, `the fix failed:\n${fix}\n${r.stderr}`);
  return r;
}

test('a lab set up right: every check passes, exit 0, a summary line', async (t) => {
  await healthyLab(t, 'good');
  const d = await doctor('good');
  assert.equal(d.report.worst, 'ok', severities(d.report));
  assert.equal(d.status, 0);
  for (const check of ['endpoint', 'clock-skew', 'callback-url', 'unauthenticated-identities', 'classic-flow',
    'credential-lifetime', 'sign-in-lifetime', 'list-buckets', 'bucket', 'cors', 'versioning', 'gateway-port',
    'gateway-origins']) {
    assert.ok(d.report.findings.some((f) => f.check === check), `a ${check} finding`);
  }
  assert.equal(d.find('bucket', LAB).severity, 'ok');

  const text = await genokey(['doctor', '--profile', 'good'], { env: SETTINGS_ENV });
  assert.equal(text.status, 0);
  assert.match(text.stdout, /^Lab check of profile “good”$/m);
  assert.match(text.stdout, /^0 problems, 0 warnings, 0 notes; \d+ checks passed\.$/m);
  assert.match(text.stderr, /Checking profile “good”…/);
});

test('not signed in: what needs no sign-in is checked, the rest is a note', async (t) => {
  await healthyLab(t, 'out', { signedIn: false });
  const d = await doctor('out');
  assert.equal(d.find('sign-in').severity, 'note');
  assert.match(d.find('sign-in').meaning, /You are not signed in to profile “out”/);
  assert.equal(d.find('callback-url').severity, 'ok');
  assert.equal(d.find('unauthenticated-identities').severity, 'ok');
  assert.ok(!d.report.findings.some((f) => f.check === 'bucket' || f.check === 'list-buckets'));
  assert.equal(d.status, 0);
});

test('unauthenticated identities: a problem and exit 1 while the pool allows them', async (t) => {
  const sim = await healthyLab(t, 'unauth');
  sim.options.allowUnauthenticated = true;
  const on = await doctor('unauth');
  const f = on.find('unauthenticated-identities');
  assert.equal(f.severity, 'problem');
  assert.equal(f.subject, sim.info.identity_pool_id);
  assert.match(f.meaning, /Anyone on the internet can get AWS credentials/);
  assert.match(f.fix, /"AllowUnauthenticatedIdentities": false/);
  assert.equal(on.status, 1);

  sim.options.allowUnauthenticated = false;
  const off = await doctor('unauth');
  assert.equal(off.find('unauthenticated-identities').severity, 'ok');
  assert.equal(off.status, 0, severities(off.report));
});

test('the basic flow: a warning for an enhanced profile, a note for a basic one, nothing when off', async (t) => {
  const sim = await healthyLab(t, 'classic');
  sim.options.allowClassicFlow = true;
  await importProfile(sim, { name: 'classic-basic', kind: 'basic', port: sim.callbackPort, extra: { buckets: [LAB] } });
  await signIn(sim, 'classic-basic');

  const enhanced = await doctor('classic');
  assert.equal(enhanced.find('classic-flow').severity, 'warning');
  // Not only GetOpenIdToken: STS took the token for the pool's role.
  assert.match(enhanced.find('classic-flow').meaning,
    new RegExp(`STS just gave credentials for ${sim.info.role_arn.replace(/[/.]/g, '\\$&')} this way`));
  assert.ok(sim.identity.log.some((e) => e.service === 'sts' && e.action === 'AssumeRoleWithWebIdentity'));
  assert.match(enhanced.find('classic-flow').fix, /"AllowClassicFlow": false/);
  assert.equal(enhanced.status, 0);
  const basic = await doctor('classic-basic');
  assert.equal(basic.find('classic-flow').severity, 'note');
  assert.equal(basic.find('classic-flow').fix, null);

  sim.options.allowClassicFlow = false;
  const off = await doctor('classic');
  assert.equal(off.find('classic-flow').severity, 'ok');
  assert.equal(off.report.worst, 'ok', severities(off.report));
});

test('the callback URL: a problem and exit 1 when the app client does not list it', async (t) => {
  const sim = await healthyLab(t, 'callback', { signedIn: false });
  const unregistered = await freePort();
  await importProfile(sim, { name: 'callback-wrong', port: unregistered });
  const wrong = await doctor('callback-wrong');
  const f = wrong.find('callback-url');
  assert.equal(f.severity, 'problem');
  assert.equal(f.subject, `http://localhost:${unregistered}/oauthCallback`);
  assert.match(f.meaning, /nobody can sign in/);
  assert.match(f.fix, /aws cognito-idp update-user-pool-client/);
  assert.match(f.fix, new RegExp(`"http://localhost:${unregistered}/oauthCallback"`));
  assert.equal(wrong.status, 1);

  const right = await doctor('callback');
  assert.equal(right.find('callback-url').severity, 'ok');
  assert.equal(right.status, 0);
});

test('a role that lists other buckets: a warning with a policy scoped to the profile\'s', async (t) => {
  const sim = await healthyLab(t, 'reach', { extra: { chromoscope_prefix: `s3://${LAB}/chromoscope/` } });
  sim.createBucket('hr-payroll');
  const seen = await doctor('reach');
  const f = seen.find('list-buckets');
  assert.equal(f.severity, 'warning');
  assert.match(f.meaning, /hr-payroll/);
  assert.match(f.fix, /aws iam put-role-policy --role-name ROLE --policy-name genokey-lab-data/);
  assert.match(f.fix, /"arn:aws:s3:::lab-data\/\*"/);
  assert.match(f.fix, /"arn:aws:s3:::lab-data\/chromoscope\/\*"/);
  assert.doesNotMatch(f.fix, /hr-payroll|ListAllMyBuckets/);
  assert.equal(seen.status, 0);

  sim.allowListBuckets(false);
  const scoped = await doctor('reach');
  assert.equal(scoped.find('list-buckets').severity, 'ok');
  assert.match(scoped.find('list-buckets').title, /cannot list/);
  assert.equal(scoped.find('bucket', LAB).severity, 'ok', 'the bucket itself still answers');
});

test('buckets: another region is a warning, a missing bucket a problem and exit 1', async (t) => {
  const sim = await healthyLab(t, 'regions', { extra: { buckets: [LAB, 'moved-data', 'gone-data'] } });
  sim.createBucket('moved-data', 'eu-west-2');
  const d = await doctor('regions');
  const moved = d.find('bucket', 'moved-data');
  assert.equal(moved.severity, 'warning');
  assert.equal(moved.title, 'Bucket moved-data is in eu-west-2, not in us-east-1');
  assert.match(moved.fix, /“aws_region” to “eu-west-2”/);
  const gone = d.find('bucket', 'gone-data');
  assert.equal(gone.severity, 'problem');
  assert.equal(gone.title, 'Bucket gone-data does not exist');
  assert.equal(d.status, 1);

  sim.createBucket('moved-data', 'us-east-1');
  sim.createBucket('gone-data');
  const fixed = await doctor('regions');
  assert.equal(fixed.find('bucket', 'moved-data').severity, 'ok');
  assert.equal(fixed.find('bucket', 'gone-data').severity, 'ok');
  assert.equal(fixed.status, 0, severities(fixed.report));
});

test('CORS: missing rules are a warning until put-bucket-cors applies admin cors\'s JSON', async (t) => {
  const sim = await healthyLab(t, 'cors');
  sim.setBucketCors(LAB, null);
  const before = await doctor('cors');
  const f = before.find('cors', LAB);
  assert.equal(f.severity, 'warning');
  assert.equal(f.title, `IGV-Web and Chromoscope cannot read ${LAB}`);
  assert.equal(before.status, 0);
  // Only what the browser sends: the preflight (OPTIONS), per viewer's origin.
  const preflights = sim.s3Log.filter((e) => e.method === 'OPTIONS' && e.bucket === LAB);
  assert.equal(preflights.length, 2);

  // A rule for one viewer leaves the other out.
  sim.setBucketCors(LAB, [{ ...DEFAULT_CORS[0], AllowedOrigins: ['https://igv.org'] }]);
  const half = await doctor('cors');
  assert.equal(half.find('cors', LAB).title, `Chromoscope cannot read ${LAB}`);
  // Both pass the preflight, but igv.js cannot read Content-Range: the
  // rules (which this role may read) say so; Chromoscope needs nothing exposed.
  sim.setBucketCors(LAB, [{ ...DEFAULT_CORS[0], ExposeHeaders: [] }]);
  const unexposed = await doctor('cors');
  assert.equal(unexposed.find('cors', LAB).title, `IGV-Web cannot read ${LAB}`);

  const admin = await genokey(['admin', 'cors', '--bucket', LAB]);
  assert.equal(admin.status, 0, admin.stderr);
  assert.match(admin.stderr, /aws s3api put-bucket-cors --bucket 'lab-data' --cors-configuration file:\/\/cors\.json/);
  const dir = mkdtempSync(join(tmpdir(), 'gk-cors-'));
  writeFileSync(join(dir, 'cors.json'), admin.stdout);
  await applyFix(sim, `aws s3api put-bucket-cors --bucket ${LAB} --cors-configuration file://${join(dir, 'cors.json')}`);
  const read = await applyFix(sim, `aws s3api get-bucket-cors --bucket ${LAB}`);
  assert.deepEqual(JSON.parse(read.stdout).CORSRules[0].AllowedOrigins, ['https://igv.org', 'https://chromoscope.bio']);

  const after = await doctor('cors');
  assert.equal(after.find('cors', LAB).severity, 'ok');
  assert.equal(after.report.worst, 'ok', severities(after.report));

  // doctor's own fix sets the same rules.
  sim.setBucketCors(LAB, null);
  const again = await doctor('cors');
  await applyFix(sim, again.find('cors', LAB).fix);
  assert.equal((await doctor('cors')).find('cors', LAB).severity, 'ok');
});

test('versioning on is a note, until the printed put-bucket-versioning suspends it', async (t) => {
  const sim = await healthyLab(t, 'versions');
  sim.setBucketVersioning(LAB, 'Enabled');
  const on = await doctor('versions');
  const f = on.find('versioning', LAB);
  assert.equal(f.severity, 'note');
  assert.match(f.meaning, /Illumina Connected Analytics/);
  assert.equal(on.status, 0);
  await applyFix(sim, f.fix);
  const off = await doctor('versions');
  assert.equal(off.find('versioning', LAB).severity, 'ok');
  assert.match(off.find('versioning', LAB).meaning, /suspended/);
});

test('credentials shorter than 15 minutes are a note; an hour is fine', async (t) => {
  const sim = await healthyLab(t, 'short', { sim: { credentialLifetime: 600 } });
  const short = await doctor('short');
  const f = short.find('credential-lifetime');
  assert.equal(f.severity, 'note');
  assert.equal(f.title, 'Credentials last only 10 minutes');
  assert.match(f.meaning, /Presigned links die within 10 minutes/);
  assert.equal(short.status, 0);

  sim.options.credentialLifetime = 3600;
  const hour = await doctor('short');
  assert.equal(hour.find('credential-lifetime').severity, 'ok');
  assert.equal(hour.find('credential-lifetime').title, 'Credentials last 1 hour');
});

test('a sign-in that still renews is fine', async (t) => {
  await healthyLab(t, 'long');
  const d = await doctor('long');
  assert.equal(d.find('sign-in-lifetime').severity, 'ok');
  assert.match(d.find('sign-in-lifetime').meaning, /still renews/);
});

test('a sign-in that ends within the day is a note saying after how long', async (t) => {
  const sim = await healthyLab(t, 'brief', { sim: { refreshTokenLifetime: 10 } });
  // Until the refresh tokens the sign-in got have expired at the hosted login.
  const expiries = [...sim.idp.refreshTokens.values()].map((r) => r.expiresMs);
  await waitFor('the refresh token to expire', () => Date.now() > Math.max(...expiries) + 1000,
    { timeout: 60_000, interval: 250 });
  const d = await doctor('brief');
  const f = d.find('sign-in-lifetime');
  assert.equal(f.severity, 'note', JSON.stringify(f));
  assert.match(f.title, /^Sign-ins end after \d+ seconds$/);
  assert.match(f.fix, /"RefreshTokenValidity" : 30/);
  assert.equal(d.status, 0);
});

test('a clock a minute off is a warning, and says which way', async (t) => {
  const sim = await healthyLab(t, 'clock');
  sim.setClockOffset(300);
  const behind = await doctor('clock');
  const f = behind.find('clock-skew');
  assert.equal(f.severity, 'warning');
  assert.match(f.title, /^This computer’s clock is (4|5) minutes behind$/);
  assert.match(f.fix, /timedatectl set-ntp true/);
  assert.equal(behind.status, 0);

  sim.setClockOffset(0);
  assert.equal((await doctor('clock')).find('clock-skew').severity, 'ok');
});

test('endpoints: one nobody answers, and one whose certificate is not trusted, are problems', async (t) => {
  const sim = await healthyLab(t, 'reachable', { signedIn: false });
  const closed = await freePort();
  await importProfile(sim, {
    name: 'unreachable', port: sim.callbackPort,
    extra: { cognito_identity_endpoint: `http://127.0.0.1:${closed}/` },
  });
  const down = await doctor('unreachable');
  const f = down.find('endpoint', `http://127.0.0.1:${closed}`);
  assert.equal(f.severity, 'problem');
  assert.equal(f.title, 'The identity pool cannot be reached');
  assert.match(f.fix, /cognito_identity_endpoint/);
  assert.equal(down.status, 1);

  // A certificate this computer does not trust, as a proxy that looks into HTTPS shows.
  const dir = mkdtempSync(join(tmpdir(), 'gk-tls-'));
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')]);
  assert.equal(made.status, 0, String(made.stderr));
  const server = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
    (req, res) => res.end('ok'));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const tlsPort = server.address().port;
  await importProfile(sim, { name: 'untrusted', port: sim.callbackPort, extra: { endpoint_url: `https://127.0.0.1:${tlsPort}` } });
  const tls = await doctor('untrusted');
  const g = tls.find('endpoint', `https://127.0.0.1:${tlsPort}`);
  assert.equal(g.severity, 'problem');
  assert.equal(g.title, 'S3’s certificate is refused');
  assert.match(g.meaning, /issuer is not trusted/);
  assert.match(g.fix, /update-ca-certificates/);
  assert.equal(tls.status, 1);
});

test('the gateway: a port another program holds is a problem until the printed setting moves it', async (t) => {
  await healthyLab(t, 'port', { signedIn: false });
  const env = SETTINGS_ENV;
  const holder = createServer();
  await new Promise((resolve) => holder.listen(0, '127.0.0.1', resolve));
  t.after(() => holder.close());
  const held = holder.address().port;
  await setGatewayPort(held);

  const taken = await doctor('port');
  const f = taken.find('gateway-port');
  assert.equal(f.severity, 'problem');
  assert.equal(f.subject, `127.0.0.1:${held}`);
  const m = new RegExp(`^gsettings set ${APP_ID.replace(/\./g, '\\.')} gateway-port (\\d+)$`, 'm').exec(f.fix);
  assert.ok(m, f.fix);
  assert.notEqual(Number(m[1]), held);
  assert.equal(taken.status, 1);
  await applyFix(null, f.fix, env);
  const moved = await doctor('port');
  assert.equal(moved.find('gateway-port').severity, 'ok');
  assert.equal(moved.find('gateway-port').subject, `127.0.0.1:${m[1]}`);
  assert.equal(moved.status, 0, severities(moved.report));

  // No web page allowed: gateway links reach no web viewer.
  const cleared = await run('gsettings', ['set', APP_ID, 'gateway-origins', '[]'], { env });
  assert.equal(cleared.status, 0, cleared.stderr);
  const closedDoor = await doctor('port');
  const o = closedDoor.find('gateway-origins');
  assert.equal(o.severity, 'warning');
  await applyFix(null, o.fix, env);
  assert.equal((await doctor('port')).find('gateway-origins').severity, 'ok');
  await setGatewayPort(await freePort());
});

test('admin igv-config writes a file that imports back into Genokey and signs in', async (t) => {
  const sim = await healthyLab(t, 'source', { signedIn: false, extra: { chromoscope_prefix: `s3://${LAB}/chromoscope/` } });
  const dir = mkdtempSync(join(tmpdir(), 'gk-igv-config-'));
  const r = await genokey(['admin', 'igv-config', '--profile', 'source', '--output', dir]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(readdirSync(dir).sort(), ['oauth-config.json', 'oauth-config.json.gz']);
  assert.equal(r.stdout, `${join(dir, 'oauth-config.json')}\n${join(dir, 'oauth-config.json.gz')}\n`);
  const config = JSON.parse(readFileSync(join(dir, 'oauth-config.json'), 'utf8'));
  assert.equal(config.scope, 'email%20openid%20profile');
  assert.deepEqual(config.redirect_uris, [`http://localhost:${sim.callbackPort}/oauthCallback`]);
  assert.equal(config.aws_cognito_fed_pool_id, sim.info.identity_pool_id);
  assert.match(r.stderr, /aws_cognito_role_arn/);

  const imported = await genokey(['profile', 'import', join(dir, 'oauth-config.json.gz'), '--name', 'colleague']);
  assert.equal(imported.status, 0, imported.stderr);
  await signIn(sim, 'colleague', { user: sim.info.users[1] });
  const c = await credentialProcess('colleague');
  assert.match(c.AccessKeyId, /^ASIA/);
  const d = await doctor('colleague');
  assert.equal(d.find('bucket', LAB).severity, 'ok');
});

test('admin cognito prints the app client the stand-in has; a client with a secret gets a new public one', async (t) => {
  const sim = await healthyLab(t, 'client', { signedIn: false });
  const r = await genokey(['admin', 'cognito', '--profile', 'client']);
  assert.equal(r.status, 0, r.stderr);
  const client = JSON.parse(r.stdout);
  assert.equal(client.UserPoolId, sim.info.pool_id);
  assert.equal(client.ClientId, sim.info.clients.public.client_id);
  assert.deepEqual(client.CallbackURLs, sim.info.redirect_uris);
  assert.deepEqual(client.AllowedOAuthFlows, ['code']);
  assert.deepEqual(client.AllowedOAuthScopes.sort(), ['email', 'openid', 'profile']);
  assert.match(r.stderr, /update-user-pool-client --region 'us-east-1' --cli-input-json file:\/\/client\.json/);

  await importProfile(sim, { name: 'secretive', kind: 'confidential', port: sim.callbackPort });
  const c = await genokey(['admin', 'cognito', '--profile', 'secretive']);
  assert.equal(c.status, 0, c.stderr);
  const created = JSON.parse(c.stdout);
  assert.equal(created.GenerateSecret, false);
  assert.equal(created.ClientId, undefined);
  assert.ok(!c.stdout.includes(sim.info.clients.confidential.client_secret));
  assert.match(c.stderr, /create-user-pool-client/);
});

test('admin policy and usage errors', async () => {
  const p = await genokey(['admin', 'policy', '--bucket', LAB, '--prefix', 'cohort1/', '--write-prefix', 'configs/']);
  assert.equal(p.status, 0, p.stderr);
  const policy = JSON.parse(p.stdout);
  const put = policy.Statement.find((s) => s.Action.includes('s3:PutObject'));
  assert.deepEqual(put.Resource, ['arn:aws:s3:::lab-data/configs/*']);
  const get = policy.Statement.find((s) => s.Sid === 'ReadTheLabData');
  assert.deepEqual(get.Resource, ['arn:aws:s3:::lab-data/cohort1/*']);
  assert.match(p.stderr, /chromoscope_prefix/);

  for (const args of [['admin'], ['admin', 'cors'], ['admin', 'cors', '--bucket', 'Not_A_Bucket'], ['admin', 'nonsense'],
    ['admin', 'cors', '--bucket', LAB, '--origin', 'igv.lab.example']]) {
    const r = await genokey(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /genokey admin: .*\nRun “genokey admin --help” for usage\./);
  }
});

test('an access key profile: its endpoints and buckets are checked, no identity pool', async (t) => {
  const sim = await healthyLab(t, 'pool-lab', { signedIn: false });
  const key = sim.createUser('partner');
  const added = await new Promise((resolve, reject) => {
    const child = spawn(process.env.GENOKEY, ['profile', 'add', 'partner', '--source', 'access-key',
      '--access-key-id', key.accessKeyId, '--region', 'us-east-1', '--endpoint-url', sim.info.s3_endpoint,
      '--iam-endpoint', sim.info.iam_endpoint, '--buckets', LAB], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stderr }));
    child.stdin.end(key.secretAccessKey + '\n');
  });
  assert.equal(added.status, 0, added.stderr);
  sim.createBucket('hr-payroll');
  const d = await doctor('partner');
  const checks = new Set(d.report.findings.map((f) => f.check));
  for (const check of ['callback-url', 'unauthenticated-identities', 'classic-flow', 'sign-in-lifetime', 'sign-in']) {
    assert.ok(!checks.has(check), `no ${check} finding for an access key`);
  }
  assert.equal(d.find('endpoint', sim.info.iam_endpoint.replace(/\/$/, '')).severity, 'ok');
  assert.equal(d.find('bucket', LAB).severity, 'ok');
  assert.equal(d.find('list-buckets').severity, 'warning');
  assert.ok(!JSON.stringify(d.report).includes(key.secretAccessKey), 'the secret is nowhere in the report');
  assert.equal(d.status, 0, severities(d.report));
});

// Last: it starts the application's gateway service in this file's D-Bus session.
test('the gateway: a running gateway answers on its port', async (t) => {
  await healthyLab(t, 'serving');
  const port = await installService();
  const started = await genokey(['gateway', 'start', '--profile', 'serving'], { env: SETTINGS_ENV });
  assert.equal(started.status, 0, started.stderr);
  t.after(() => genokey(['gateway', 'stop'], { env: SETTINGS_ENV }));
  const d = await doctor('serving');
  const f = d.find('gateway-port');
  assert.equal(f.severity, 'ok');
  assert.equal(f.title, `The gateway answers on port ${port}`);
});
