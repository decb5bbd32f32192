// Latency: with --latency-ms (or sim.setLatency) every S3, STS, Cognito
// Identity and hosted-login answer comes that much later, requests wait
// side by side rather than in a queue, and the official SDK still accepts
// every answer. Only lower bounds on time are asserted (a loaded machine
// only makes answers later); "side by side" is asserted against the time a
// queue would need, with room for a slow machine.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HeadObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetIdCommand, GetOpenIdTokenCommand } from '@aws-sdk/client-cognito-identity';
import { AssumeRoleWithWebIdentityCommand } from '@aws-sdk/client-sts';
import { startStandIn } from '../index.mjs';
import { headlessLogin } from '../lib/login.mjs';
import { identityClient, s3Client, stsClient } from './helpers.mjs';
import { scaled } from '../../integration/lib/timeouts.mjs';

const START = join(dirname(fileURLToPath(import.meta.url)), '..', 'start.mjs');

let sim, creds, s3;

before(async () => {
  sim = await startStandIn({ demo: false });
  creds = await sim.issueCredentials({ lifetime: 3600 });
  s3 = s3Client(sim, creds);
  sim.createBucket('lat-lab');
  sim.putObject('lat-lab', 'c/S1.bam', 'bam');
});
after(async () => { await sim?.stop(); });

async function timed (fn) {
  const t0 = process.hrtime.bigint();
  const value = await fn();
  return { value, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
}

test('off by default, and every service answers later once it is set', { timeout: scaled(120000) }, async () => {
  assert.equal(sim.latencyMs, 0);
  const LATENCY = 300;
  sim.setLatency(LATENCY);
  assert.equal(sim.latencyMs, LATENCY);

  // S3: the SDK accepts the delayed answers as it does the prompt ones.
  const head = await timed(() => s3.send(new HeadObjectCommand({ Bucket: 'lat-lab', Key: 'c/S1.bam' })));
  assert.equal(head.value.ContentLength, 3);
  assert.ok(head.ms >= LATENCY, `HeadObject took ${head.ms} ms, less than the ${LATENCY} ms latency`);
  const list = await timed(() => s3.send(new ListObjectsV2Command({ Bucket: 'lat-lab', Prefix: 'c/' })));
  assert.deepEqual(list.value.Contents.map((c) => c.Key), ['c/S1.bam']);
  assert.ok(list.ms >= LATENCY, `ListObjectsV2 took ${list.ms} ms`);

  // The hosted login (several requests: authorize, login form, token) …
  const login = await timed(() => headlessLogin(sim.info));
  assert.ok(login.value.tokens.id_token);
  assert.ok(login.ms >= 3 * LATENCY, `the hosted login took ${login.ms} ms for at least 3 requests`);

  // … Cognito Identity and STS.
  const ci = identityClient(sim);
  const logins = { [sim.info.logins_key]: login.value.tokens.id_token };
  const id = await timed(() => ci.send(new GetIdCommand({ IdentityPoolId: sim.info.identity_pool_id, Logins: logins })));
  assert.match(id.value.IdentityId, /^us-east-1:/);
  assert.ok(id.ms >= LATENCY, `GetId took ${id.ms} ms`);
  const { Token } = await ci.send(new GetOpenIdTokenCommand({ IdentityId: id.value.IdentityId, Logins: logins }));
  const sts = await timed(() => stsClient(sim).send(new AssumeRoleWithWebIdentityCommand({
    RoleArn: sim.info.role_arn, RoleSessionName: 'ana', WebIdentityToken: Token,
  })));
  assert.match(sts.value.Credentials.AccessKeyId, /^ASIA/);
  assert.ok(sts.ms >= LATENCY, `AssumeRoleWithWebIdentity took ${sts.ms} ms`);

  sim.setLatency(0);
  assert.equal(sim.latencyMs, 0);
  const again = await s3.send(new HeadObjectCommand({ Bucket: 'lat-lab', Key: 'c/S1.bam' }));
  assert.equal(again.ContentLength, 3);
});

test('delayed requests wait side by side, not in a queue', { timeout: scaled(120000) }, async () => {
  const LATENCY = 1000;
  const N = 20;
  sim.setLatency(LATENCY);
  try {
    const client = s3Client(sim, creds);
    const all = await timed(() => Promise.all(Array.from({ length: N }, (_, i) =>
      client.send(new PutObjectCommand({ Bucket: 'lat-lab', Key: `par/${i}`, Body: String(i) })))));
    assert.equal(all.value.length, N);
    assert.ok(all.ms >= LATENCY, `${N} requests took ${all.ms} ms`);
    // In a queue they would need N × LATENCY = 20 s.
    assert.ok(all.ms < (N / 2) * LATENCY, `${N} requests at ${LATENCY} ms took ${all.ms} ms: they were queued`);
  } finally {
    sim.setLatency(0);
  }
});

test('a latency outside 0–60000 ms is refused with the range', () => {
  for (const bad of [-1, 1.5, 'soon', 60001]) {
    assert.throws(() => sim.setLatency(bad), /whole number of milliseconds from 0 to 60000/);
  }
  assert.equal(sim.latencyMs, 0, 'a refused value changes nothing');
});

test('start.mjs --latency-ms delays the answers of the started stand-in', { timeout: scaled(90000) }, async () => {
  const p = spawn(process.execPath, [START, '--no-demo', '--latency-ms', '400'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let out = '';
    let err = '';
    p.stderr.on('data', (d) => { err += d; });
    const info = await new Promise((resolve, reject) => {
      p.stdout.on('data', (d) => {
        out += d;
        const nl = out.indexOf('\n');
        if (nl >= 0) resolve(JSON.parse(out.slice(0, nl)));
      });
      p.on('close', (code) => reject(new Error(`start.mjs exited (${code}) before printing its JSON: ${err}`)));
    });
    const ci = identityClient({ info });
    const r = await timed(() => ci.send(new GetIdCommand({ IdentityPoolId: info.identity_pool_id })).catch((e) => e));
    // Without Logins the pool refuses (unauthenticated access is off), late.
    assert.equal(r.value.name, 'NotAuthorizedException');
    assert.ok(r.ms >= 400, `GetId took ${r.ms} ms with --latency-ms 400`);
  } finally {
    p.kill('SIGTERM');
  }
  for (const bad of ['-5', 'fast', '60001']) {
    const q = spawn(process.execPath, [START, '--no-demo', `--latency-ms=${bad}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    q.stderr.on('data', (d) => { err += d; });
    const code = await new Promise((resolve) => q.on('close', resolve));
    assert.equal(code, 2, `--latency-ms ${bad}`);
    assert.match(err, /--latency-ms needs a whole number of milliseconds from 0 to 60000/);
  }
});
