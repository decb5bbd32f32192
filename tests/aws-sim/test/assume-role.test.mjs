// STS AssumeRole and GetCallerIdentity as the official AWS SDK for
// JavaScript v3 sees them: fromTemporaryCredentials gets credentials S3
// accepts, the trust policy's external ID and the role's maximum duration
// are enforced with AWS's codes and wording, session tags and the source
// identity travel with the credentials, and the call is SigV4-verified with
// the caller's own credentials.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { STSClient, AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { startStandIn } from '../index.mjs';
import { s3Client } from './helpers.mjs';

let sim, ana, role, open;

before(async () => {
  sim = await startStandIn({ demo: false });
  sim.createBucket('partner-data');
  sim.putObject('partner-data', 'run1/S1.bam', Buffer.from('BAM\x01'));
  ana = sim.createUser('ana');
  role = sim.createRole({ name: 'SeqeraAccess', maxSessionDuration: 7200, principals: [ana.user.arn], externalId: 'seqera-7f3a' });
  open = sim.createRole({ name: 'LabReaders', principals: ['arn:aws:iam::123456789012:root'] });
});
after(() => sim.stop());

function sts (credentials) {
  return new STSClient({ region: sim.info.region, endpoint: sim.info.sts_endpoint, credentials, maxAttempts: 1 });
}

const anaKey = () => ({ accessKeyId: ana.accessKeyId, secretAccessKey: ana.secretAccessKey });

test('fromTemporaryCredentials assumes the role with its external ID; S3 accepts the credentials', async () => {
  const provider = fromTemporaryCredentials({
    masterCredentials: anaKey(),
    params: { RoleArn: role.arn, ExternalId: 'seqera-7f3a', RoleSessionName: 'ana', DurationSeconds: 900 },
    clientConfig: { region: sim.info.region, endpoint: sim.info.sts_endpoint, maxAttempts: 1 },
  });
  const t0 = Date.now();
  const c = await provider();
  assert.match(c.accessKeyId, /^ASIA[A-Z2-7]{16}$/);
  assert.ok(c.sessionToken.length > 700);
  assert.ok(Math.abs(c.expiration.getTime() - (t0 + 900_000)) < 5000);
  const l = await s3Client(sim, c).send(new ListObjectsV2Command({ Bucket: 'partner-data' }));
  assert.equal(l.KeyCount, 1);
  assert.equal(sim.describeCredentials(c.accessKeyId).arn, 'arn:aws:sts::123456789012:assumed-role/SeqeraAccess/ana');
  const who = await sts(c).send(new GetCallerIdentityCommand({}));
  assert.equal(who.Arn, 'arn:aws:sts::123456789012:assumed-role/SeqeraAccess/ana');
  assert.equal(who.Account, '123456789012');
  assert.equal((await sts(anaKey()).send(new GetCallerIdentityCommand({}))).Arn, ana.user.arn);
});

test('a wrong or missing external ID, an untrusted caller and an unknown role are AccessDenied in AWS words', async () => {
  const words = `User: ${ana.user.arn} is not authorized to perform: sts:AssumeRole on resource: ${role.arn}`;
  for (const ExternalId of ['seqera-wrong', undefined]) {
    await assert.rejects(sts(anaKey()).send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'ana', ExternalId })),
      (e) => e.name === 'AccessDenied' && e.message === words && e.$metadata.httpStatusCode === 403);
  }
  const ben = sim.createUser('ben');
  await assert.rejects(sts({ accessKeyId: ben.accessKeyId, secretAccessKey: ben.secretAccessKey })
    .send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'ben', ExternalId: 'seqera-7f3a' })),
  (e) => e.name === 'AccessDenied' && e.message.startsWith(`User: ${ben.user.arn} is not authorized to perform: sts:AssumeRole`));
  await assert.rejects(sts(anaKey()).send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/Nobody', RoleSessionName: 'ana' })),
    (e) => e.name === 'AccessDenied');
});

test('DurationSeconds above the role maximum, and above one hour when chaining, are ValidationError', async () => {
  const call = (creds, over) => sts(creds).send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'ana', ExternalId: 'seqera-7f3a', ...over }));
  await assert.rejects(call(anaKey(), { DurationSeconds: 7201 }),
    (e) => e.name === 'ValidationError' && e.message === 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.' && e.$metadata.httpStatusCode === 400);
  for (const DurationSeconds of [899, 43201]) {
    await assert.rejects(call(anaKey(), { DurationSeconds }), (e) => e.name === 'ValidationError' && /durationSeconds/.test(e.message));
  }
  const first = (await call(anaKey(), { DurationSeconds: 7200 })).Credentials;
  const chained = { accessKeyId: first.AccessKeyId, secretAccessKey: first.SecretAccessKey, sessionToken: first.SessionToken };
  await assert.rejects(sts(chained).send(new AssumeRoleCommand({ RoleArn: open.arn, RoleSessionName: 'chain', DurationSeconds: 7200 })),
    (e) => e.name === 'ValidationError' && /1 hour session limit for roles assumed by role chaining/.test(e.message));
  const r = await sts(chained).send(new AssumeRoleCommand({ RoleArn: open.arn, RoleSessionName: 'chain' }));
  assert.equal(sim.describeCredentials(r.Credentials.AccessKeyId).chained, true);
});

test('session tags and the source identity travel with the credentials into S3 policy checks', async () => {
  sim.createBucket('tagged-data');
  sim.putObject('tagged-data', 'x.vcf.gz', Buffer.from('x'));
  sim.requirePrincipalTag('tagged-data', 'lab', 'genomics');
  const assume = (Tags) => sts(anaKey()).send(new AssumeRoleCommand({
    RoleArn: role.arn, RoleSessionName: 'ana', ExternalId: 'seqera-7f3a', Tags, SourceIdentity: 'ana@lab.org',
  }));
  const r = await assume([{ Key: 'lab', Value: 'genomics' }, { Key: 'project', Value: 'p1' }]);
  assert.equal(r.SourceIdentity, 'ana@lab.org');
  assert.ok(r.PackedPolicySize > 0);
  const d = sim.describeCredentials(r.Credentials.AccessKeyId);
  assert.deepEqual(d.tags, { lab: 'genomics', project: 'p1' });
  assert.equal(d.sourceIdentity, 'ana@lab.org');
  const c = (x) => ({ accessKeyId: x.AccessKeyId, secretAccessKey: x.SecretAccessKey, sessionToken: x.SessionToken });
  assert.equal((await s3Client(sim, c(r.Credentials)).send(new ListObjectsV2Command({ Bucket: 'tagged-data' }))).KeyCount, 1);
  const untagged = await assume(undefined);
  assert.equal(untagged.PackedPolicySize, undefined);
  await assert.rejects(s3Client(sim, c(untagged.Credentials)).send(new ListObjectsV2Command({ Bucket: 'tagged-data' })),
    (e) => e.name === 'AccessDenied');
  await assert.rejects(assume([{ Key: 'lab', Value: 'a' }, { Key: 'LAB', Value: 'b' }]),
    (e) => e.name === 'InvalidParameterValue' && /Duplicate tag keys/.test(e.message));
});

test('the call is verified with the caller\'s credentials: bad signatures, unknown, inactive and expired keys are refused', async () => {
  const call = (creds, region = sim.info.region) => new STSClient({ region, endpoint: sim.info.sts_endpoint, credentials: creds, maxAttempts: 1 })
    .send(new AssumeRoleCommand({ RoleArn: open.arn, RoleSessionName: 'x1' }));
  await assert.rejects(call({ ...anaKey(), secretAccessKey: ana.secretAccessKey.slice(1) + 'A' }),
    (e) => e.name === 'SignatureDoesNotMatch' && e.$metadata.httpStatusCode === 403);
  await assert.rejects(call({ accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'x' }), (e) => e.name === 'InvalidClientTokenId');
  await assert.rejects(call(anaKey(), 'eu-west-2'), (e) => e.name === 'SignatureDoesNotMatch' && /region/.test(e.message));
  const expired = await sim.issueExpiredCredentials();
  await assert.rejects(call(expired), (e) => e.name === 'ExpiredToken');
  const live = await sim.issueCredentials({ lifetime: 600 });
  await assert.rejects(call({ ...live, sessionToken: live.sessionToken.replace(/^.{20}/, 'IQoJb3JpZ2luX2VjEAAA') }), (e) => e.name === 'InvalidClientTokenId');
  await call(live); // the identity pool's role session is trusted by LabReaders (the account root)
  const q = new URLSearchParams({ Action: 'AssumeRole', Version: '2011-06-15', RoleArn: open.arn, RoleSessionName: 'x1' });
  const r = await fetch(`${sim.info.sts_endpoint}?${q}`);
  assert.equal(r.status, 403);
  assert.match(await r.text(), /<Code>MissingAuthenticationToken<\/Code>/);
  const carol = sim.createUser('carol');
  sim.deactivateAccessKey(carol.accessKeyId);
  await assert.rejects(call({ accessKeyId: carol.accessKeyId, secretAccessKey: carol.secretAccessKey }), (e) => e.name === 'InvalidClientTokenId');
});

test('assumeRoleLifetime gives short credentials whatever DurationSeconds asks (renewal tests)', async () => {
  sim.options.assumeRoleLifetime = 60;
  try {
    const t0 = Date.now();
    const r = await sts(anaKey()).send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'ana', ExternalId: 'seqera-7f3a', DurationSeconds: 3600 }));
    assert.ok(Math.abs(r.Credentials.Expiration.getTime() - (t0 + 60_000)) < 5000);
  } finally {
    sim.options.assumeRoleLifetime = null;
  }
});
