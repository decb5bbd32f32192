// IAM's key-age calls and EC2's IMDSv2 as the official AWS SDK for
// JavaScript v3 uses them: ListAccessKeys/GetAccessKeyLastUsed for the
// signing user's own keys (and AccessDenied in AWS words when a policy does
// not allow it), and fromInstanceMetadata against an endpoint that requires
// a session token and rotates the role's credentials.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { IAMClient, ListAccessKeysCommand, GetAccessKeyLastUsedCommand } from '@aws-sdk/client-iam';
import { fromInstanceMetadata } from '@aws-sdk/credential-providers';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { startStandIn } from '../index.mjs';
import { s3Client } from './helpers.mjs';

let sim;
before(async () => { sim = await startStandIn({ demo: false, imdsCredentialLifetime: 8 }); sim.createBucket('ec2-lab'); });
after(() => sim.stop());

const iam = (u) => new IAMClient({ region: 'us-east-1', endpoint: sim.info.iam_endpoint, credentials: { accessKeyId: u.accessKeyId, secretAccessKey: u.secretAccessKey }, maxAttempts: 1 });

test('ListAccessKeys without a user name lists the caller\'s keys with their creation date', async () => {
  const ana = sim.createUser('ana', { createdSecondsAgo: 86400 * 40 });
  const second = sim.createAccessKey('ana');
  const r = await iam(ana).send(new ListAccessKeysCommand({}));
  assert.equal(r.IsTruncated, false);
  const byId = Object.fromEntries(r.AccessKeyMetadata.map((k) => [k.AccessKeyId, k]));
  assert.deepEqual(Object.keys(byId).sort(), [ana.accessKeyId, second.accessKeyId].sort());
  const age = (Date.now() - byId[ana.accessKeyId].CreateDate.getTime()) / 86400000;
  assert.ok(age > 39.9 && age < 40.1, `age ${age} days`);
  assert.equal(byId[ana.accessKeyId].Status, 'Active');
  assert.equal(byId[ana.accessKeyId].UserName, 'ana');
  await assert.rejects(iam(ana).send(new ListAccessKeysCommand({ UserName: 'nobody' })), (e) => e.name === 'AccessDenied');
});

test('GetAccessKeyLastUsed says N/A before the first use and names S3 after it', async () => {
  const ben = sim.createUser('ben');
  const before = await iam(ben).send(new GetAccessKeyLastUsedCommand({ AccessKeyId: ben.accessKeyId }));
  assert.equal(before.UserName, 'ben');
  assert.equal(before.AccessKeyLastUsed.ServiceName, 'N/A');
  assert.equal(before.AccessKeyLastUsed.Region, 'N/A');
  assert.equal(before.AccessKeyLastUsed.LastUsedDate, undefined);
  await s3Client(sim, { accessKeyId: ben.accessKeyId, secretAccessKey: ben.secretAccessKey }).send(new ListObjectsV2Command({ Bucket: 'ec2-lab' }));
  const after = await iam(ben).send(new GetAccessKeyLastUsedCommand({ AccessKeyId: ben.accessKeyId }));
  assert.equal(after.AccessKeyLastUsed.ServiceName, 's3');
  assert.equal(after.AccessKeyLastUsed.Region, 'us-east-1');
  assert.ok(Math.abs(after.AccessKeyLastUsed.LastUsedDate.getTime() - Date.now()) < 5000);
});

test('a user without IAM rights on its own keys gets AccessDenied naming the action', async () => {
  const carol = sim.createUser('carol', { canReadOwnKeys: false });
  await assert.rejects(iam(carol).send(new ListAccessKeysCommand({})),
    (e) => e.name === 'AccessDenied' && e.$metadata.httpStatusCode === 403 &&
      e.message.startsWith('User: arn:aws:iam::123456789012:user/carol is not authorized to perform: iam:ListAccessKeys on resource: user carol'));
  await assert.rejects(iam(carol).send(new GetAccessKeyLastUsedCommand({ AccessKeyId: carol.accessKeyId })),
    (e) => e.name === 'AccessDenied' && /iam:GetAccessKeyLastUsed/.test(e.message));
  await assert.rejects(iam({ ...carol, secretAccessKey: 'wrong' }).send(new ListAccessKeysCommand({})), (e) => e.name === 'SignatureDoesNotMatch');
});

test('fromInstanceMetadata gets the instance role\'s credentials over IMDSv2, and S3 accepts them', async () => {
  process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = sim.info.imds_endpoint;
  try {
    const c = await fromInstanceMetadata({ ec2MetadataV1Disabled: true, timeout: 5000, maxRetries: 0 })();
    assert.match(c.accessKeyId, /^ASIA/);
    assert.equal(sim.describeCredentials(c.accessKeyId).arn, 'arn:aws:sts::123456789012:assumed-role/GenokeyDemoInstanceRole/i-0123456789abcdef0');
    await s3Client(sim, c).send(new ListObjectsV2Command({ Bucket: 'ec2-lab' }));
    const gets = sim.imds.log.filter((e) => e.method === 'GET');
    assert.ok(gets.length >= 2 && gets.every((e) => e.token && e.status === 200));
  } finally {
    delete process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT;
  }
});

test('IMDS requires the token: no token or an expired one is 401, a token request without TTL is 400', async () => {
  const base = sim.info.imds_endpoint;
  const path = '/latest/meta-data/iam/security-credentials/';
  assert.equal((await fetch(base + path)).status, 401);
  assert.equal((await fetch(base + '/latest/api/token', { method: 'PUT' })).status, 400);
  assert.equal((await fetch(base + '/latest/api/token', { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '21601' } })).status, 400);
  assert.equal((await fetch(base + '/latest/api/token', { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '60', 'x-forwarded-for': '10.0.0.1' } })).status, 403);
  const t = await fetch(base + '/latest/api/token', { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '1' } });
  assert.equal(t.status, 200);
  assert.equal(t.headers.get('x-aws-ec2-metadata-token-ttl-seconds'), '1');
  const token = await t.text();
  const r = await fetch(base + path, { headers: { 'x-aws-ec2-metadata-token': token } });
  assert.equal(r.status, 200);
  assert.equal(await r.text(), 'GenokeyDemoInstanceRole');
  assert.equal((await fetch(base + path, { headers: { 'x-aws-ec2-metadata-token': 'forged' } })).status, 401);
  // The token lives one second: wait for the endpoint to refuse it.
  const t0 = Date.now();
  let status = 200;
  while (status === 200 && Date.now() - t0 < 30_000) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    status = (await fetch(base + path, { headers: { 'x-aws-ec2-metadata-token': token } })).status;
  }
  assert.equal(status, 401, 'waited 30 s for a 1-second IMDS token to expire');
});

test('the instance role\'s credentials rotate before they expire', async () => {
  process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = sim.info.imds_endpoint;
  try {
    const get = () => fromInstanceMetadata({ ec2MetadataV1Disabled: true, timeout: 5000, maxRetries: 0 })();
    const first = await get();
    assert.equal((await get()).accessKeyId, first.accessKeyId, 'the same credentials while far from expiry');
    // 8-second credentials rotate with 2 s left: wait until they do.
    let next = first;
    const t0 = Date.now();
    while (next.accessKeyId === first.accessKeyId && Date.now() - t0 < 60_000) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      next = await get();
    }
    assert.notEqual(next.accessKeyId, first.accessKeyId, 'waited 60 s for IMDS to rotate 8-second credentials');
    assert.ok(first.expiration.getTime() > Date.now() - 3000, 'rotated before the old ones expired');
    assert.ok(next.expiration > first.expiration);
  } finally {
    delete process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT;
  }
});

test('without an instance profile the role list is 404 and the SDK finds no credentials', async () => {
  const bare = await startStandIn({ demo: false, imdsRole: null });
  process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = bare.info.imds_endpoint;
  try {
    assert.equal(bare.info.imds_role_arn, null);
    await assert.rejects(fromInstanceMetadata({ ec2MetadataV1Disabled: true, timeout: 5000, maxRetries: 0 })(),
      (e) => e.statusCode === 404 || /404/.test(String(e.message)));
  } finally {
    delete process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT;
    await bare.stop();
  }
});
