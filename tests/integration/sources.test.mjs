// Every credential source end to end with the real genokey, a real
// gnome-keyring (keyring-session.sh), the real AWS CLI and the stand-in:
// an IAM user's access key, a role assumed with an external ID, and the
// EC2 instance profile over IMDSv2. Each: profile add, ls and presign
// against the verifying S3, credential_process used by `aws`, renewal over
// two 60-second credential lifetimes, clear refusals, and the secret
// access key never in argv, the environment, files, output or status.
// Then every hand-off with every source, a lab sign-in (the stand-in's
// hosted login) as the source profile of a role included: igv-web and
// chromoscope links and gateway links (`genokey link`, through the D-Bus
// activated service) that the stand-in's S3 serves, and real IGV desktop
// reading a BAM through each source's links.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { startStandIn } from '../aws-sim/index.mjs';
import { freePort, importProfile, signIn } from './lib/genokey-cli.mjs';
import { installService } from './lib/gateway.mjs';
import { makeIgvHome, removeHome, startIgv, stopIgv, waitForIgv } from './lib/igv.mjs';
import { scaled } from './lib/timeouts.mjs';

const GENOKEY = process.env.GENOKEY;
const HOME = process.env.HOME;
let sim, ana, role, closedPort, callbackPort;
const outputs = []; // every stdout/stderr of genokey, checked for the secret at the end

function run (cmd, args, { input, env = {}, onSpawn } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, G_MESSAGES_DEBUG: 'all', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (status) => {
      outputs.push(stdout, stderr);
      resolve({ status, stdout, stderr });
    });
    Promise.resolve(onSpawn?.(child)).then(() => child.stdin.end(input ?? ''));
  });
}
const genokey = (args, opts) => run(GENOKEY, args, opts);
const imdsEnv = () => ({ AWS_EC2_METADATA_SERVICE_ENDPOINT: sim.info.imds_endpoint });

function filesUnder (dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    let st;
    try { st = statSync(p); } catch { continue; }
    if (st.isDirectory()) out.push(...filesUnder(p));
    else if (st.isFile()) out.push(p);
  }
  return out;
}

before(async () => {
  callbackPort = await freePort();
  // The demo data gives IGV a real BAM to read.
  sim = await startStandIn({ demo: true, imdsCredentialLifetime: 60, assumeRoleLifetime: 60,
    redirectUris: [`http://localhost:${callbackPort}/oauthCallback`] });
  sim.createBucket('partner-data');
  sim.putObject('partner-data', 'run1/S1.bam', Buffer.from('BAM\x01 partner data'));
  sim.putObject('partner-data', 'run1/S1.bam.bai', Buffer.from('BAI\x01'));
  sim.putObject('partner-data', 'run1/S1.sv.bedpe', Buffer.from('chr1\t100\t200\tchr1\t5000\t5100\n'));
  for (const key of [sim.info.demo.bam, sim.info.demo.bai]) {
    sim.putObject('partner-data', `igv/${key.split('/').pop()}`, readFileSync(join(sim.info.demo.local_dir, key.split('/').pop())));
  }
  // IGV-Web and Chromoscope read from the browser: the bucket lets them.
  sim.setBucketCors('partner-data', [{
    AllowedOrigins: ['*'],
    AllowedMethods: ['GET', 'HEAD'],
    AllowedHeaders: ['*'],
    ExposeHeaders: ['Content-Range', 'Content-Length', 'Accept-Ranges', 'ETag'],
  }]);
  ana = sim.createUser('ana', { createdSecondsAgo: 40 * 86400 + 3600 });
  // Trusted: the IAM user, the instance's role, and the identity pool's
  // role that a lab sign-in's credentials carry.
  role = sim.createRole({ name: 'SeqeraAccess', maxSessionDuration: 3600,
    principals: [ana.user.arn, sim.info.imds_role_arn, sim.info.role_arn], externalId: 'seqera-7f3a' });
  closedPort = await new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
  // The AWS CLI asks genokey through credential_process.
  mkdirSync(join(HOME, '.aws'), { recursive: true });
  writeFileSync(join(HOME, '.aws', 'config'), ['ak', 'ar', 'ec2'].map((p) =>
    `[profile ${p}]\ncredential_process = ${GENOKEY} credential-process --profile ${p}\nregion = us-east-1\n`).join('\n'));
});
after(() => sim?.stop());

async function addAccessKey (name, key, extra = []) {
  let proc = null;
  const r = await genokey(['profile', 'add', name, '--source', 'access-key', '--access-key-id', key.accessKeyId,
    '--region', 'us-east-1', '--endpoint-url', sim.info.s3_endpoint, '--iam-endpoint', sim.info.iam_endpoint,
    '--buckets', 'partner-data', ...extra], {
    input: key.secretAccessKey + '\n',
    // genokey waits for the secret on stdin: look at what it runs with now.
    onSpawn: async (child) => {
      await new Promise((resolve) => setTimeout(resolve, 0));
      proc = {
        cmdline: readFileSync(`/proc/${child.pid}/cmdline`, 'utf8'),
        environ: readFileSync(`/proc/${child.pid}/environ`, 'utf8'),
      };
    },
  });
  return { r, proc };
}

async function awsLs (profile, env = {}) {
  return run('aws', ['s3', 'ls', 's3://partner-data/run1/', '--profile', profile, '--endpoint-url', sim.info.s3_endpoint],
    { env: { AWS_CONFIG_FILE: join(HOME, '.aws', 'config'), AWS_SHARED_CREDENTIALS_FILE: '/dev/null', ...env } });
}

async function presignWorks (profile, env = {}) {
  const r = await genokey(['presign', '--profile', profile, 's3://partner-data/run1/S1.bam'], { env });
  assert.equal(r.status, 0, r.stderr);
  const res = await fetch(r.stdout.trim());
  assert.equal(res.status, 200, 'the presigned link opens');
  assert.equal(Buffer.from(await res.arrayBuffer()).toString(), 'BAM\x01 partner data');
}

test('access key: added from stdin, never in argv or the environment; ls, presign and the AWS CLI work', async () => {
  const { r, proc } = await addAccessKey('ak', ana);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(proc.cmdline.includes(ana.accessKeyId), 'the key ID is on the command line');
  assert.ok(!proc.cmdline.includes(ana.secretAccessKey), 'the secret is not in /proc/PID/cmdline');
  assert.ok(!proc.environ.includes(ana.secretAccessKey), 'the secret is not in /proc/PID/environ');
  const profileText = readFileSync(join(process.env.XDG_CONFIG_HOME, 'genokey', 'profiles', 'ak.json'), 'utf8');
  assert.match(profileText, /"source" *: *"access-key"/);

  const ls = await genokey(['ls', '--profile', 'ak', 's3://partner-data/run1/']);
  assert.equal(ls.status, 0, ls.stderr);
  assert.match(ls.stdout, /S1\.bam\b/);
  await presignWorks('ak');
  const cli = await awsLs('ak');
  assert.equal(cli.status, 0, cli.stderr);
  assert.match(cli.stdout, /S1\.bam/);
  assert.ok(sim.s3Log.some((e) => e.accessKeyId === ana.accessKeyId && e.status === 200));
});

test('access key: status shows the key age from IAM, or says IAM cannot be asked', async () => {
  const s = await genokey(['status', '--profile', 'ak']);
  assert.equal(s.status, 0, s.stderr);
  assert.match(s.stdout, /Key age: +40 days/);
  assert.match(s.stdout, new RegExp(ana.accessKeyId));
  const j = JSON.parse((await genokey(['status', '--profile', 'ak', '--json'])).stdout);
  assert.equal(j.source, 'access-key');
  assert.equal(j.key_age_days, 40);
  assert.ok(['s3', 'iam'].includes(j.key_last_used_service), 'IAM reports where the key was last used');

  const carol = sim.createUser('carol', { canReadOwnKeys: false });
  assert.equal((await addAccessKey('carol', carol)).r.status, 0);
  const c = await genokey(['status', '--profile', 'carol']);
  assert.equal(c.status, 0, c.stderr);
  assert.match(c.stdout, /Key age: +unknown: IAM does not let this key read its own details/);
  assert.ok(!c.stdout.includes(carol.secretAccessKey) && !c.stderr.includes(carol.secretAccessKey));
});

test('access key: what cannot be a secret is refused and nothing is saved', async () => {
  const r = await genokey(['profile', 'add', 'typo', '--source', 'access-key', '--access-key-id', ana.accessKeyId], { input: 'not a secret\n' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /not a secret access key/);
  assert.ok(!r.stderr.includes('not a secret\n'));
  assert.equal((await genokey(['profile', 'show', 'typo'])).status, 1, 'no profile without its secret');
  const argv = await genokey(['profile', 'add', 'x', '--source', 'access-key', '--access-key-id', ana.accessKeyId, '--secret-access-key', ana.secretAccessKey]);
  assert.equal(argv.status, 2, 'there is no option that takes the secret');
});

test('access key: rotate-key stores the new key; logout deletes the secret only when confirmed', async () => {
  const next = sim.createAccessKey('ana');
  const r = await genokey(['profile', 'rotate-key', 'ak', '--access-key-id', next.accessKeyId], { input: next.secretAccessKey + '\n' });
  assert.equal(r.status, 0, r.stderr);
  sim.deactivateAccessKey(ana.accessKeyId);
  const ls = await genokey(['ls', '--profile', 'ak', 's3://partner-data/run1/']);
  assert.equal(ls.status, 0, ls.stderr);
  assert.ok(sim.s3Log.at(-1).accessKeyId === next.accessKeyId);
  ana = { ...ana, ...next };

  const no = await genokey(['logout', '--profile', 'ak']);
  assert.equal(no.status, 2);
  assert.match(no.stderr, /--yes/);
  assert.equal((await genokey(['ls', '--profile', 'ak', 's3://partner-data/run1/'])).status, 0, 'the secret is still there');
});

test('assume-role: signed with the access key, with its external ID; ls, presign, the AWS CLI; a wrong external ID is named', async () => {
  const add = await genokey(['profile', 'add', 'ar', '--source', 'assume-role', '--role-arn', role.arn,
    '--external-id', 'seqera-7f3a', '--source-profile', 'ak', '--duration-seconds', '900', '--role-session-name', 'ana-lab',
    '--region', 'us-east-1', '--endpoint-url', sim.info.s3_endpoint, '--sts-endpoint', sim.info.sts_endpoint,
    '--buckets', 'partner-data']);
  assert.equal(add.status, 0, add.stderr);
  const ls = await genokey(['ls', '--profile', 'ar', 's3://partner-data/run1/']);
  assert.equal(ls.status, 0, ls.stderr);
  const used = sim.s3Log.at(-1).accessKeyId;
  assert.equal(sim.describeCredentials(used).arn, 'arn:aws:sts::123456789012:assumed-role/SeqeraAccess/ana-lab');
  await presignWorks('ar');
  const cli = await awsLs('ar');
  assert.equal(cli.status, 0, cli.stderr);

  await genokey(['profile', 'add', 'ar-wrong', '--source', 'assume-role', '--role-arn', role.arn,
    '--external-id', 'seqera-wrong', '--source-profile', 'ak', '--endpoint-url', sim.info.s3_endpoint, '--sts-endpoint', sim.info.sts_endpoint]);
  const bad = await genokey(['ls', '--profile', 'ar-wrong', 's3://partner-data/run1/']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /Check the external ID “seqera-wrong”/);
  assert.match(bad.stderr, /is not authorized to perform: sts:AssumeRole/);

  await genokey(['profile', 'add', 'ar-long', '--source', 'assume-role', '--role-arn', role.arn, '--external-id', 'seqera-7f3a',
    '--source-profile', 'ak', '--duration-seconds', '7200', '--endpoint-url', sim.info.s3_endpoint, '--sts-endpoint', sim.info.sts_endpoint]);
  const long = await genokey(['ls', '--profile', 'ar-long', 's3://partner-data/run1/']);
  assert.equal(long.status, 1);
  assert.match(long.stderr, /allows shorter sessions than the 7200 seconds/);
});

test('instance profile: IMDSv2 from the stand-in; ls, presign, the AWS CLI; not EC2 and turned off are said plainly', async () => {
  const add = await genokey(['profile', 'add', 'ec2', '--source', 'instance-profile', '--region', 'us-east-1',
    '--endpoint-url', sim.info.s3_endpoint, '--buckets', 'partner-data']);
  assert.equal(add.status, 0, add.stderr);
  const ls = await genokey(['ls', '--profile', 'ec2', 's3://partner-data/run1/'], { env: imdsEnv() });
  assert.equal(ls.status, 0, ls.stderr);
  assert.match(sim.describeCredentials(sim.s3Log.at(-1).accessKeyId).arn, /assumed-role\/GenokeyDemoInstanceRole\//);
  assert.ok(sim.imds.log.filter((e) => e.method === 'GET').every((e) => e.token), 'every metadata GET carried the IMDSv2 token');
  await presignWorks('ec2', imdsEnv());
  const cli = await awsLs('ec2', imdsEnv());
  assert.equal(cli.status, 0, cli.stderr);

  const notEc2 = await genokey(['ls', '--profile', 'ec2', 's3://partner-data/run1/'],
    { env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: `http://127.0.0.1:${closedPort}` } });
  assert.equal(notEc2.status, 1);
  assert.match(notEc2.stderr, /does not look like an EC2 instance/);
  const off = await genokey(['ls', '--profile', 'ec2', 's3://partner-data/run1/'], { env: { ...imdsEnv(), AWS_EC2_METADATA_DISABLED: 'true' } });
  assert.equal(off.status, 1);
  assert.match(off.stderr, /AWS_EC2_METADATA_DISABLED/);

  // A role assumed with the instance's own credentials.
  await genokey(['profile', 'add', 'ar-ec2', '--source', 'assume-role', '--role-arn', role.arn, '--external-id', 'seqera-7f3a',
    '--source-profile', 'ec2', '--endpoint-url', sim.info.s3_endpoint, '--sts-endpoint', sim.info.sts_endpoint]);
  const chained = await genokey(['ls', '--profile', 'ar-ec2', 's3://partner-data/run1/'], { env: imdsEnv() });
  assert.equal(chained.status, 0, chained.stderr);
});

test('assume-role and instance profile renew across two 60-second credential lifetimes', { timeout: scaled(600_000) }, async () => {
  const seen = { ar: new Map(), ec2: new Map() };
  const t0 = Date.now();
  // Keep using both profiles until each has gone through at least two
  // whole credential lifetimes: three different credentials, every call
  // succeeding with credentials that had not expired.
  while (Date.now() - t0 < 400_000 && (Date.now() - t0 < 125_000 || seen.ar.size < 3 || seen.ec2.size < 3)) {
    for (const p of ['ar', 'ec2']) {
      const r = await genokey(['credential-process', '--profile', p], { env: imdsEnv() });
      assert.equal(r.status, 0, r.stderr);
      const c = JSON.parse(r.stdout);
      assert.ok(Date.parse(c.Expiration) > Date.now(), `${p}: credential-process handed out unexpired credentials`);
      seen[p].set(c.AccessKeyId, Date.parse(c.Expiration));
      const ls = await genokey(['ls', '--profile', p, 's3://partner-data/run1/'], { env: imdsEnv() });
      assert.equal(ls.status, 0, `${p} at ${Math.round((Date.now() - t0) / 1000)} s: ${ls.stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5000));
  }
  assert.ok(seen.ar.size >= 3, `assume-role renewed ${seen.ar.size - 1} times in ${Math.round((Date.now() - t0) / 1000)} s`);
  assert.ok(seen.ec2.size >= 3, `instance profile rotated ${seen.ec2.size - 1} times in ${Math.round((Date.now() - t0) / 1000)} s`);
});

// ---- every hand-off with every source -----------------------------------------

const PARTNER_BYTES = {
  'run1/S1.bam': 'BAM\x01 partner data',
  'run1/S1.bam.bai': 'BAI\x01',
  'run1/S1.sv.bedpe': 'chr1\t100\t200\tchr1\t5000\t5100\n',
};

// Fetches @url as a browser or IGV would and checks it is the object @key.
async function servesObject (url, key, what) {
  const res = await fetch(url);
  assert.equal(res.status, 200, `${what}: ${await res.clone().text()}`);
  assert.equal(Buffer.from(await res.arrayBuffer()).toString(), PARTNER_BYTES[key], `${what} reads ${key}`);
}

// IGV-Web's session, from the link genokey igv-web prints.
function igvWebSession (stdout) {
  const blob = /sessionURL=blob:([^&\s]+)/.exec(stdout)[1];
  const b64 = blob.replace(/\./g, '+').replace(/_/g, '/').replace(/-/g, '=');
  return JSON.parse(inflateRawSync(Buffer.from(b64, 'base64')).toString('utf8'));
}

test('a lab sign-in as the source profile of a role: signed in with the hosted login, then the role assumed with its credentials', async () => {
  await importProfile(sim, { name: 'lab', port: callbackPort });
  await signIn(sim, 'lab');
  const add = await genokey(['profile', 'add', 'ar-lab', '--source', 'assume-role', '--role-arn', role.arn,
    '--external-id', 'seqera-7f3a', '--source-profile', 'lab', '--role-session-name', 'ana-from-lab',
    '--region', 'us-east-1', '--endpoint-url', sim.info.s3_endpoint, '--sts-endpoint', sim.info.sts_endpoint,
    '--buckets', 'partner-data']);
  assert.equal(add.status, 0, add.stderr);
  const ls = await genokey(['ls', '--profile', 'ar-lab', 's3://partner-data/run1/']);
  assert.equal(ls.status, 0, ls.stderr);
  assert.match(ls.stdout, /S1\.bam\b/);
  // S3 saw the role's credentials, assumed with the sign-in's: role
  // chaining from the identity pool's role.
  assert.equal(sim.describeCredentials(sim.s3Log.at(-1).accessKeyId).arn,
    'arn:aws:sts::123456789012:assumed-role/SeqeraAccess/ana-from-lab');
  const cp = await genokey(['credential-process', '--profile', 'ar-lab']);
  assert.equal(cp.status, 0, cp.stderr);
  assert.ok(Date.parse(JSON.parse(cp.stdout).Expiration) > Date.now());
});

const EVERY_SOURCE = ['ak', 'ar', 'ec2', 'ar-lab'];
// By default the hand-offs give gateway links (the D-Bus started service
// reads S3 with the profile's credentials); --presigned gives S3 links.
const LINK_KINDS = [[], ['--presigned']];
let serviceInstalled = false;

async function ensureService () {
  if (serviceInstalled) return;
  // The service D-Bus starts, as on a desktop; it asks the stand-in's
  // metadata endpoint for the instance profile, as the commands do.
  await installService();
  const env = await run('dbus-update-activation-environment',
    [`AWS_EC2_METADATA_SERVICE_ENDPOINT=${sim.info.imds_endpoint}`]);
  assert.equal(env.status, 0, env.stderr);
  serviceInstalled = true;
}

test('igv-web --no-open: with every source, sessions whose links the stand-in serves, through the gateway or presigned', async () => {
  await ensureService();
  for (const p of EVERY_SOURCE) {
    for (const kind of LINK_KINDS) {
      const what = `${p} ${kind.join(' ') || '(gateway)'}`;
      const r = await genokey(['igv-web', '--profile', p, '--no-open', ...kind, 's3://partner-data/run1/S1.bam'],
        { env: imdsEnv() });
      assert.equal(r.status, 0, `${what}: ${r.stderr}`);
      assert.match(r.stdout, /^https:\/\/igv\.org\/app\/\?sessionURL=blob:/m);
      const [track] = igvWebSession(r.stdout).tracks;
      if (kind.length) assert.match(track.url, /X-Amz-Signature=/, `${what}: a presigned link`);
      else assert.match(track.url, /^http:\/\/127\.0\.0\.1:\d+\//, `${what}: a gateway link`);
      await servesObject(track.url, 'run1/S1.bam', `${what}: the BAM link`);
      await servesObject(track.indexURL, 'run1/S1.bam.bai', `${what}: the index link`);
    }
  }
});

test('chromoscope --no-upload: with every source, configs whose links the stand-in serves, through the gateway or presigned', async () => {
  await ensureService();
  const dir = mkdtempSync(join(tmpdir(), 'gk-sources-chromoscope-'));
  for (const p of EVERY_SOURCE) {
    for (const kind of LINK_KINDS) {
      const what = `${p} ${kind.join(' ') || '(gateway)'}`;
      const out = join(dir, `${p}${kind.join('')}.json`);
      const r = await genokey(['chromoscope', '--profile', p, '--no-upload', ...kind, '-o', out, '--assembly', 'hg38',
        's3://partner-data/run1/S1.bam', 's3://partner-data/run1/S1.sv.bedpe'], { env: imdsEnv() });
      assert.equal(r.status, 0, `${what}: ${r.stderr}`);
      const config = JSON.parse(readFileSync(out, 'utf8'));
      const [sample] = Array.isArray(config) ? config : config.samples;
      await servesObject(sample.bam, 'run1/S1.bam', `${what}: the BAM link`);
      await servesObject(sample.bai, 'run1/S1.bam.bai', `${what}: the index link`);
      await servesObject(sample.sv, 'run1/S1.sv.bedpe', `${what}: the SV link`);
    }
  }
});

test('genokey link: with every source, gateway links that read the objects through the service', async () => {
  await ensureService();
  for (const p of EVERY_SOURCE) {
    const r = await genokey(['link', '--profile', p, '--json', '--with-index', 's3://partner-data/run1/S1.bam'],
      { env: imdsEnv() });
    assert.equal(r.status, 0, `${p}: ${r.stderr}`);
    const links = JSON.parse(r.stdout.trim());
    assert.match(links.url, /^http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]+\/partner-data\/run1\/S1\.bam$/);
    assert.doesNotMatch(links.url, /X-Amz-/, 'a gateway link, not a signed one');
    await servesObject(links.url, 'run1/S1.bam', `${p}: the gateway BAM link`);
    await servesObject(links.index_url, 'run1/S1.bam.bai', `${p}: the gateway index link`);
  }
  const stop = await genokey(['gateway', 'stop']);
  assert.equal(stop.status, 0, stop.stderr);
});

// Whose credentials signed an S3 request: the source each profile gets its
// credentials from.
function signedBy (profile, accessKeyId) {
  const arn = sim.describeCredentials(accessKeyId)?.arn ?? '';
  switch (profile) {
    case 'ak': return accessKeyId === ana.accessKeyId;
    case 'ec2': return /assumed-role\/GenokeyDemoInstanceRole\//.test(arn);
    case 'ar': return arn === 'arn:aws:sts::123456789012:assumed-role/SeqeraAccess/ana-lab';
    case 'ar-lab': return arn === 'arn:aws:sts::123456789012:assumed-role/SeqeraAccess/ana-from-lab';
    default: return false;
  }
}

test('igv: with every source, a running IGV desktop reads the BAM and its index through the links', { timeout: scaled(600_000) }, async (t) => {
  await ensureService();
  const port = await freePort();
  const genome = join(sim.info.demo.local_dir, 'ref.fa');
  const bam = `igv/${sim.info.demo.bam.split('/').pop()}`;
  const bai = `igv/${sim.info.demo.bai.split('/').pop()}`;
  const igv = makeIgvHome({ port, genomePath: genome });
  t.after(async () => { await stopIgv({ port, home: igv.home }); removeHome(igv.home); });
  startIgv(igv);
  t.diagnostic(`IGV answered after ${await waitForIgv(port)} ms`);

  for (const p of EVERY_SOURCE) {
    for (const kind of LINK_KINDS) {
      const what = `${p} ${kind.join(' ') || '(gateway)'}`;
      const since = sim.s3Log.length;
      const r = await genokey(['igv', '--profile', p, ...kind, '--port', String(port), '--genome', genome,
        '--locus', 'chr1:1000-3000', `s3://partner-data/${bam}`], { env: imdsEnv() });
      assert.equal(r.status, 0, `${what}: ${r.stderr}`);
      assert.match(r.stderr, /Sent 1 track to IGV/);
      // IGV's own reads come after genokey's one-byte checks (bytes=0-0):
      // a range of the BAM and the index, signed with this source's
      // credentials (by the link, or by the gateway for IGV).
      const start = Date.now();
      for (;;) {
        const log = sim.s3Log.slice(since).filter((e) => e.method === 'GET' && e.range !== 'bytes=0-0');
        const bamReads = log.filter((e) => e.key === bam && e.status === 206);
        const baiReads = log.filter((e) => e.key === bai && [200, 206].includes(e.status));
        if (bamReads.length && baiReads.length) {
          assert.ok([...bamReads, ...baiReads].every((e) => signedBy(p, e.accessKeyId)),
            `${what}: IGV's reads signed with the source's credentials`);
          break;
        }
        if (Date.now() - start > 120_000) {
          assert.fail(`${what}: gave up waiting for IGV to read ${bam} and ${bai}; S3 saw: ` +
            JSON.stringify(sim.s3Log.slice(since).map((e) => [e.method, e.key, e.status, e.range, e.error])));
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }
});

test('the secret access key is in no file, output, log or status; logout --yes deletes it', async () => {
  const secrets = [ana.secretAccessKey];
  for (const f of filesUnder(process.env.GK_TEST_SESSION_DIR)) {
    const bytes = readFileSync(f);
    for (const s of secrets) assert.ok(!bytes.includes(s), `the secret is not in ${f}`);
  }
  for (const o of outputs) for (const s of secrets) assert.ok(!o.includes(s) || o.includes('"SecretAccessKey"'), 'the secret is in no output but credential_process JSON');
  const yes = await genokey(['logout', '--profile', 'ak', '--yes']);
  assert.equal(yes.status, 0, yes.stderr);
  const gone = await genokey(['ls', '--profile', 'ak', 's3://partner-data/run1/']);
  assert.equal(gone.status, 1);
  assert.match(gone.stderr, /No secret access key is stored for profile “ak”/);
});
