// The stand-in's lab-setup switches judged with the official SDK: bucket
// versioning, a role that may or may not list every bucket, and a clock
// that is off. `genokey doctor` is tested against them, so they must
// answer as AWS does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  GetBucketVersioningCommand, PutBucketVersioningCommand, ListBucketsCommand, ListObjectsV2Command,
} from '@aws-sdk/client-s3';
import { startStandIn } from '../index.mjs';
import { s3Client, signedRequest, send } from './helpers.mjs';

let sim, creds, s3;

before(async () => {
  sim = await startStandIn({ demo: false, bucketVersioning: { 'versioned-lab': 'Enabled' } });
  sim.createBucket('plain-lab');
  creds = await sim.issueCredentials({ lifetime: 3600 });
  s3 = s3Client(sim, creds);
});
after(async () => { await sim?.stop(); });

test('versioning: never set, then enabled and suspended, as the SDK reads and writes it', async () => {
  const never = await s3.send(new GetBucketVersioningCommand({ Bucket: 'plain-lab' }));
  assert.equal(never.Status, undefined, 'a bucket never versioned has no Status');
  assert.equal(never.$metadata.httpStatusCode, 200);

  const on = await s3.send(new GetBucketVersioningCommand({ Bucket: 'versioned-lab' }));
  assert.equal(on.Status, 'Enabled');

  await s3.send(new PutBucketVersioningCommand({ Bucket: 'plain-lab', VersioningConfiguration: { Status: 'Enabled' } }));
  assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket: 'plain-lab' }))).Status, 'Enabled');
  await s3.send(new PutBucketVersioningCommand({ Bucket: 'plain-lab', VersioningConfiguration: { Status: 'Suspended' } }));
  assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket: 'plain-lab' }))).Status, 'Suspended');

  sim.setBucketVersioning('plain-lab', 'Enabled');
  assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket: 'plain-lab' }))).Status, 'Enabled');
  await assert.rejects(s3.send(new GetBucketVersioningCommand({ Bucket: 'no-such-lab' })), (e) => e.name === 'NoSuchBucket');
});

test('versioning: a body that is not a VersioningConfiguration, or no digest, is refused as S3 does', async () => {
  const bad = await signedRequest(sim, creds, {
    method: 'PUT',
    path: '/plain-lab',
    query: { versioning: '' },
    headers: { 'content-md5': 'Zm9v', 'content-type': 'application/xml' },
    body: '<VersioningConfiguration><Status>On</Status></VersioningConfiguration>',
  });
  // The MD5 is wrong as well as the status: the digest is checked first.
  let r = await send(sim, bad);
  assert.equal(r.status, 400);
  assert.match(r.body, /<Code>BadDigest<\/Code>/);

  const body = '<VersioningConfiguration><Status>On</Status></VersioningConfiguration>';
  const md5 = (await import('node:crypto')).createHash('md5').update(body).digest('base64');
  r = await send(sim, await signedRequest(sim, creds, {
    method: 'PUT', path: '/plain-lab', query: { versioning: '' }, headers: { 'content-md5': md5 }, body,
  }));
  assert.equal(r.status, 400);
  assert.match(r.body, /<Code>MalformedXML<\/Code>/);

  r = await send(sim, await signedRequest(sim, creds, {
    method: 'PUT', path: '/plain-lab', query: { versioning: '' },
    body: '<VersioningConfiguration><Status>Suspended</Status></VersioningConfiguration>',
  }));
  assert.equal(r.status, 400);
  assert.match(r.body, /Missing required header for this request: Content-Md5/);
});

test('ListBuckets: every bucket while the role may list them, AccessDenied once it may not', async () => {
  const all = await s3.send(new ListBucketsCommand({}));
  assert.deepEqual(all.Buckets.map((b) => b.Name), ['plain-lab', 'versioned-lab']);

  sim.allowListBuckets(false);
  try {
    await assert.rejects(s3.send(new ListBucketsCommand({})),
      (e) => e.name === 'AccessDenied' && e.$metadata.httpStatusCode === 403);
    // Only the account-wide listing is refused: the buckets still answer.
    const objects = await s3.send(new ListObjectsV2Command({ Bucket: 'plain-lab' }));
    assert.equal(objects.KeyCount, 0);
  } finally {
    sim.allowListBuckets(true);
  }
  assert.equal((await s3.send(new ListBucketsCommand({}))).Buckets.length, 2);
});

test('a clock offset moves every Date header, and S3 judges signatures by it', async () => {
  const dateOf = async (url) => Date.parse((await fetch(url)).headers.get('date'));
  const urls = [sim.info.s3_endpoint + '/', sim.info.hosted_ui.authorization_endpoint,
    sim.info.cognito_identity_endpoint, sim.info.sts_endpoint, sim.info.iam_endpoint];

  for (const u of urls) assert.ok(Math.abs(await dateOf(u) - Date.now()) < 5000, u);

  sim.setClockOffset(300);
  try {
    for (const u of urls) {
      const skew = (await dateOf(u) - Date.now()) / 1000;
      assert.ok(skew > 290 && skew < 310, `${u}: ${skew} s`);
    }
    // Five minutes are within S3's fifteen: the SDK's calls still work.
    assert.equal((await s3.send(new ListBucketsCommand({}))).Buckets.length, 2);

    // Twenty minutes are not. The SDK then sets its clock by the answer's
    // Date header, as it does against AWS, so a client of its own is used.
    sim.setClockOffset(-1200);
    const skewed = s3Client(sim, creds);
    await assert.rejects(skewed.send(new ListBucketsCommand({})), (e) => e.name === 'RequestTimeTooSkewed');
    const corrected = skewed.config.systemClockOffset / 1000;
    assert.ok(corrected > -1210 && corrected < -1190, `the SDK's clock correction: ${corrected} s`);
  } finally {
    sim.setClockOffset(0);
  }
  assert.equal((await s3.send(new ListBucketsCommand({}))).Buckets.length, 2);
});
