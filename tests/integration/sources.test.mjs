// Every credential source end to end with the real genokey, a real
// gnome-keyring (keyring-session.sh), the real AWS CLI and the stand-in:
// an IAM user's access key, a role assumed with an external ID, and the
// EC2 instance profile over IMDSv2. Each: profile add, ls and presign
// against the verifying S3, credential_process used by `aws`, renewal over
// two 60-second credential lifetimes, clear refusals, and the secret
// access key never in argv, the environment, files, output or status.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startStandIn } from '../aws-sim/index.mjs';

const GENOKEY = process.env.GENOKEY;
const HOME = process.env.HOME;
let sim, ana, role, closedPort;
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
  sim = await startStandIn({ demo: false, imdsCredentialLifetime: 60, assumeRoleLifetime: 60 });
  sim.createBucket('partner-data');
  sim.putObject('partner-data', 'run1/S1.bam', Buffer.from('BAM\x01 partner data'));
  sim.putObject('partner-data', 'run1/S1.bam.bai', Buffer.from('BAI\x01'));
  ana = sim.createUser('ana', { createdSecondsAgo: 40 * 86400 + 3600 });
  role = sim.createRole({ name: 'SeqeraAccess', maxSessionDuration: 3600, principals: [ana.user.arn, sim.info.imds_role_arn], externalId: 'seqera-7f3a' });
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

test('assume-role and instance profile renew across two 60-second credential lifetimes', { timeout: 600_000 }, async () => {
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
