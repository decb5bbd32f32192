// The documented start command: one line of JSON on stdout, options that
// reach the services, a clean stop on SIGTERM, usage errors with status 2.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetIdCommand, GetCredentialsForIdentityCommand } from '@aws-sdk/client-cognito-identity';
import { headlessLogin } from '../lib/login.mjs';
import { identityClient, s3Client } from './helpers.mjs';
import { scaled } from '../../integration/lib/timeouts.mjs';

const START = join(dirname(fileURLToPath(import.meta.url)), '..', 'start.mjs');

const children = new Set();
after(() => { for (const p of children) p.kill('SIGKILL'); });

function start (args) {
  const p = spawn(process.execPath, [START, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(p);
  p.on('close', () => children.delete(p));
  let out = '';
  let err = '';
  p.stderr.on('data', (d) => { err += d; });
  const exited = new Promise((resolve) => p.on('close', (code, signal) => resolve({ code, signal, out, err })));
  const info = new Promise((resolve, reject) => {
    p.stdout.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(JSON.parse(out.slice(0, nl)));
    });
    exited.then((r) => reject(new Error(`start.mjs exited early (${r.code}): ${r.err}`)));
  });
  return { p, info, exited };
}

test('prints the info as one JSON line, honours options and stops on SIGTERM', { timeout: scaled(90000) }, async () => {
  const state = mkdtempSync(join(tmpdir(), 'gk-start-test-'));
  try {
    const t0 = Date.now();
    const s = start(['--state-dir', state, '--credential-lifetime', '120', '--bucket-region', 'eu-lab=eu-west-2']);
    const info = await s.info;
    const ms = Date.now() - t0;
    console.log(`# start to JSON: ${ms} ms (fresh state dir)`);
    assert.equal(info.state_dir, state);
    assert.deepEqual(info.buckets, ['demo-lab', 'eu-lab']);
    const profile = JSON.parse(readFileSync(info.profile_file, 'utf8'));
    assert.equal(profile.endpoint_url, info.s3_endpoint);
    assert.equal(statSync(info.profile_files.confidential).mode & 0o777, 0o600);
    assert.ok(existsSync(join(info.demo.local_dir, 'SAMPLE1.bam.bai')));
    assert.deepEqual(Object.keys(info.users[0]).sort(), ['email', 'password', 'sub', 'username']);

    const sim = { info };
    const tokens = (await headlessLogin(info)).tokens;
    const ci = identityClient(sim);
    const logins = { [info.logins_key]: tokens.id_token };
    const { IdentityId } = await ci.send(new GetIdCommand({ IdentityPoolId: info.identity_pool_id, Logins: logins }));
    const t1 = Date.now();
    const { Credentials } = await ci.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: logins }));
    assert.ok(Credentials.Expiration.getTime() >= t1 - 1000 + 120000 && Credentials.Expiration.getTime() <= Date.now() + 120000);

    s.p.kill('SIGTERM');
    const r = await s.exited;
    assert.equal(r.code, 0);
    assert.equal(r.out.trim().split('\n').length, 1, 'nothing but the JSON line on stdout');
    assert.ok(existsSync(info.profile_file), 'a given state dir is kept');
    await assert.rejects(fetch(info.hosted_ui.token_endpoint), 'the ports are closed');
  } finally {
    rmSync(state, { recursive: true, force: true });
  }
});

test('without --state-dir the temporary state is removed on exit', { timeout: scaled(60000) }, async () => {
  const s = start([]);
  const info = await s.info;
  assert.ok(existsSync(info.state_dir));
  s.p.kill('SIGINT');
  const r = await s.exited;
  assert.equal(r.code, 130, r.err);
  assert.ok(!existsSync(info.state_dir));
});

test('usage errors exit with status 2', { timeout: scaled(60000) }, async () => {
  for (const args of [['--no-such-option'], ['--credential-lifetime', 'soon'], ['--bucket-region', 'nonsense'],
    ['--bucket-versioning', 'lab=On'], ['--clock-offset', 'ahead']]) {
    const s = start(args);
    s.info.catch(() => {});
    const r = await s.exited;
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err, /start\.mjs: /);
  }
});

test('the lab-setup switches reach S3: versioning, ListBuckets refused, the clock', { timeout: scaled(60000) }, async () => {
  const s = start(['--no-demo', '--bucket-versioning', 'kept-lab=Enabled', '--deny-list-buckets', '--clock-offset', '120']);
  const info = await s.info;
  assert.deepEqual(info.buckets, ['kept-lab']);
  const skew = (Date.parse((await fetch(info.s3_endpoint + '/')).headers.get('date')) - Date.now()) / 1000;
  assert.ok(skew > 110 && skew < 130, `Date header ${skew} s ahead`);
  const { ListBucketsCommand, GetBucketVersioningCommand } = await import('@aws-sdk/client-s3');
  const tokens = (await headlessLogin(info)).tokens;
  const ci = identityClient({ info });
  const logins = { [info.logins_key]: tokens.id_token };
  const { IdentityId } = await ci.send(new GetIdCommand({ IdentityPoolId: info.identity_pool_id, Logins: logins }));
  const { Credentials } = await ci.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: logins }));
  const s3 = s3Client({ info }, { accessKeyId: Credentials.AccessKeyId, secretAccessKey: Credentials.SecretKey, sessionToken: Credentials.SessionToken });
  await assert.rejects(s3.send(new ListBucketsCommand({})), (e) => e.name === 'AccessDenied');
  assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket: 'kept-lab' }))).Status, 'Enabled');
  s.p.kill('SIGTERM');
  assert.equal((await s.exited).code, 0);
});
