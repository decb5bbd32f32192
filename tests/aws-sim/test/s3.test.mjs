// The S3 front judged with the official SDK: it must accept the SDK's
// signatures and answers, and refuse what AWS refuses.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  ListBucketsCommand, ListObjectsV2Command, GetObjectCommand, HeadObjectCommand, PutObjectCommand,
  HeadBucketCommand, GetBucketCorsCommand, PutBucketCorsCommand, DeleteObjectCommand, paginateListObjectsV2,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { startStandIn } from '../index.mjs';
import { s3Client, signedRequest, send, rawGet, xmlField } from './helpers.mjs';

let sim, creds, s3;

before(async () => {
  sim = await startStandIn({ bucketRegions: { 'eu-lab': 'eu-west-2' } });
  creds = await sim.issueCredentials({ lifetime: 3600 });
  s3 = s3Client(sim, creds);
});
after(async () => { await sim?.stop(); });

test('the SDK lists buckets, objects and folders of the demo data', async () => {
  const b = await s3.send(new ListBucketsCommand({}));
  assert.deepEqual(b.Buckets.map((x) => x.Name), ['demo-lab', 'eu-lab']);
  const top = await s3.send(new ListObjectsV2Command({ Bucket: 'demo-lab', Delimiter: '/' }));
  assert.deepEqual(top.CommonPrefixes.map((p) => p.Prefix), ['cohort1/']);
  assert.equal(top.KeyCount, 1);
  const files = await s3.send(new ListObjectsV2Command({ Bucket: 'demo-lab', Prefix: sim.info.demo.prefix }));
  const keys = files.Contents.map((c) => c.Key);
  for (const k of ['bam', 'bai', 'vcf', 'tbi', 'bedpe', 'cnv', 'fasta', 'fai']) assert.ok(keys.includes(sim.info.demo[k]), k);
  assert.ok(files.Contents.every((c) => c.Size > 0 && c.LastModified instanceof Date && /^"[0-9a-f]{32}"$/.test(c.ETag)));
});

test('ranges: 206 with Content-Range, suffix ranges, 416 beyond the end', async () => {
  const g = await s3.send(new GetObjectCommand({ Bucket: 'demo-lab', Key: sim.info.demo.bam, Range: 'bytes=0-3' }));
  assert.equal(g.ContentRange.replace(/\/\d+$/, ''), 'bytes 0-3');
  assert.equal(g.AcceptRanges, 'bytes');
  const bytes = Buffer.from(await g.Body.transformToByteArray());
  assert.deepEqual([...bytes], [0x1f, 0x8b, 0x08, 0x04]); // BGZF
  const tail = await s3.send(new GetObjectCommand({ Bucket: 'demo-lab', Key: sim.info.demo.bam, Range: 'bytes=-28' }));
  const eof = Buffer.from(await tail.Body.transformToByteArray());
  assert.equal(eof.toString('hex'), '1f8b08040000000000ff0600424302001b0003000000000000000000'); // BGZF EOF block
  await assert.rejects(s3.send(new GetObjectCommand({ Bucket: 'demo-lab', Key: sim.info.demo.bam, Range: 'bytes=99999999-' })),
    (e) => e.name === 'InvalidRange' && e.$metadata.httpStatusCode === 416);
  const h = await s3.send(new HeadObjectCommand({ Bucket: 'demo-lab', Key: sim.info.demo.bai }));
  assert.equal(h.ContentLength, statSync(join(sim.info.demo.local_dir, 'SAMPLE1.bam.bai')).size);
  await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: 'demo-lab', Key: 'missing' })), (e) => e.name === 'NotFound');
  await assert.rejects(s3.send(new GetObjectCommand({ Bucket: 'demo-lab', Key: 'missing' })), (e) => e.name === 'NoSuchKey');
  await assert.rejects(s3.send(new ListObjectsV2Command({ Bucket: 'no-such-bucket' })), (e) => e.name === 'NoSuchBucket');
});

test('keys are not normalised and odd characters survive', async () => {
  const keys = ['odd/a b+c=d&e?f#g%h', 'odd/ünï/çødé', 'odd//double', 'odd/./dot', 'odd/../up', "odd/!'()*~"];
  for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket: 'demo-lab', Key, Body: `body of ${Key}` }));
  const l = await s3.send(new ListObjectsV2Command({ Bucket: 'demo-lab', Prefix: 'odd/' }));
  assert.deepEqual(l.Contents.map((c) => c.Key).sort(), [...keys].sort());
  for (const Key of keys) {
    const g = await s3.send(new GetObjectCommand({ Bucket: 'demo-lab', Key }));
    assert.equal(await g.Body.transformToString(), `body of ${Key}`);
  }
  const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: 'demo-lab', Key: 'odd/../up' }), { expiresIn: 60 });
  const r = await rawGet(url); // sent as is: fetch() would resolve the '..'
  assert.equal(r.status, 200);
  assert.equal(r.body, 'body of odd/../up');
  const enc = await s3.send(new ListObjectsV2Command({ Bucket: 'demo-lab', Prefix: 'odd/a ', EncodingType: 'url' }));
  assert.equal(enc.Contents.length, 1);
  assert.equal(decodeURIComponent(enc.Contents[0].Key.replace(/\+/g, ' ')), 'odd/a b+c=d&e?f#g%h');
  for (const Key of keys) await s3.send(new DeleteObjectCommand({ Bucket: 'demo-lab', Key }));
});

test('pagination over more than 1000 keys, with and without a delimiter', async () => {
  const n = 2345;
  for (let i = 0; i < n; i++) sim.putObject('demo-lab', `many/f${String(i).padStart(5, '0')}.txt`, 'x');
  for (let i = 0; i < 1500; i++) sim.putObject('demo-lab', `dirs/d${String(i).padStart(4, '0')}/x.txt`, 'y');
  const pages = [];
  for await (const p of paginateListObjectsV2({ client: s3 }, { Bucket: 'demo-lab', Prefix: 'many/' })) pages.push(p);
  assert.deepEqual(pages.map((p) => p.KeyCount), [1000, 1000, 345]);
  assert.deepEqual(pages.map((p) => p.IsTruncated), [true, true, false]);
  const all = pages.flatMap((p) => p.Contents.map((c) => c.Key));
  assert.equal(new Set(all).size, n);
  assert.deepEqual(all, [...all].sort());
  const small = [];
  for await (const p of paginateListObjectsV2({ client: s3, pageSize: 7 }, { Bucket: 'demo-lab', Prefix: 'many/', StartAfter: 'many/f02300.txt' })) small.push(...p.Contents.map((c) => c.Key));
  assert.equal(small.length, 44);
  const cps = [];
  for await (const p of paginateListObjectsV2({ client: s3 }, { Bucket: 'demo-lab', Prefix: 'dirs/', Delimiter: '/' })) {
    assert.equal(p.Contents, undefined);
    cps.push(...p.CommonPrefixes.map((c) => c.Prefix));
  }
  assert.equal(cps.length, 1500);
  assert.equal(new Set(cps).size, 1500);
  const bad = await signedRequest(sim, creds, { path: '/demo-lab', query: { 'list-type': '2', 'continuation-token': 'bm90LWEtdG9rZW4=' } });
  const r = await send(sim, bad);
  assert.equal(r.status, 400);
  assert.equal(xmlField(r.body, 'Code'), 'InvalidArgument');
});

test('a tampered signature is refused with the expected canonical request', async () => {
  const req = await signedRequest(sim, creds, { path: `/demo-lab/${sim.info.demo.fai}` });
  const ok = await send(sim, req);
  assert.equal(ok.status, 200);
  const sig = /Signature=([0-9a-f]{64})/.exec(req.headers.authorization)[1];
  const flipped = sig.slice(0, -1) + (sig.endsWith('0') ? '1' : '0');
  const bad = await send(sim, { ...req, headers: { ...req.headers, authorization: req.headers.authorization.replace(sig, flipped) } });
  assert.equal(bad.status, 403);
  assert.equal(xmlField(bad.body, 'Code'), 'SignatureDoesNotMatch');
  const canonical = xmlField(bad.body, 'CanonicalRequest');
  assert.match(canonical, /^GET\n\/demo-lab\/cohort1\/SAMPLE1\/ref\.fa\.fai\n\nhost:127\.0\.0\.1:\d+\n/);
  assert.match(xmlField(bad.body, 'StringToSign'), /^AWS4-HMAC-SHA256\n\d{8}T\d{6}Z\n\d{8}\/us-east-1\/s3\/aws4_request\n[0-9a-f]{64}$/);
  assert.ok(!bad.body.includes(flipped), 'the signature is not echoed');
  const last = sim.s3Log[sim.s3Log.length - 1];
  assert.equal(last.error, 'SignatureDoesNotMatch');
  assert.ok(!JSON.stringify(sim.s3Log).includes(sig), 'signatures never reach the log');
});

test('a tampered path, query or payload is refused', async () => {
  const req = await signedRequest(sim, creds, { path: '/demo-lab', query: { 'list-type': '2', prefix: 'cohort1/' } });
  assert.equal((await send(sim, req)).status, 200);
  const q = await send(sim, { ...req, query: { ...req.query, prefix: 'cohort2/' } });
  assert.equal(xmlField(q.body, 'Code'), 'SignatureDoesNotMatch');
  const get = await signedRequest(sim, creds, { path: `/demo-lab/${sim.info.demo.fai}` });
  const p = await send(sim, { ...get, path: `/demo-lab/${sim.info.demo.fasta}` });
  assert.equal(p.status, 403);
  assert.equal(xmlField(p.body, 'Code'), 'SignatureDoesNotMatch');
  const put = await signedRequest(sim, creds, { method: 'PUT', path: '/demo-lab/t.txt', body: 'original' });
  const t = await send(sim, { ...put, body: 'tampered' });
  assert.equal(t.status, 400);
  assert.equal(xmlField(t.body, 'Code'), 'XAmzContentSHA256Mismatch');
  const unsignedHeader = await send(sim, { ...get, headers: { ...get.headers, 'x-amz-meta-extra': '1' } });
  assert.equal(xmlField(unsignedHeader.body, 'Code'), 'AccessDenied');
  assert.equal(xmlField(unsignedHeader.body, 'HeadersNotSigned'), 'x-amz-meta-extra');
  const anon = await send(sim, { method: 'GET', path: `/demo-lab/${sim.info.demo.fai}`, headers: {} });
  assert.equal(anon.status, 403);
  assert.equal(xmlField(anon.body, 'Code'), 'AccessDenied');
});

test('streamed uploads (aws-chunked with a checksum trailer) are decoded', async () => {
  const data = Buffer.alloc(300000, 'genokey ');
  await s3.send(new PutObjectCommand({ Bucket: 'demo-lab', Key: 'streamed.bin', Body: Readable.from([data.subarray(0, 100000), data.subarray(100000)]), ContentLength: data.length }));
  const g = await s3.send(new GetObjectCommand({ Bucket: 'demo-lab', Key: 'streamed.bin' }));
  assert.ok(Buffer.from(await g.Body.transformToByteArray()).equals(data));
  const put = sim.s3Log.filter((e) => e.method === 'PUT' && e.key === 'streamed.bin').pop();
  assert.equal(put.status, 200);
});

test('UNSIGNED-PAYLOAD uploads are accepted', async () => {
  const put = await signedRequest(sim, creds, { method: 'PUT', path: '/demo-lab/unsigned.txt', body: 'data', unsignedPayload: true });
  assert.equal((await send(sim, put)).status, 200);
  const g = await s3.send(new GetObjectCommand({ Bucket: 'demo-lab', Key: 'unsigned.txt' }));
  assert.equal(await g.Body.transformToString(), 'data');
});

test('clock skew beyond 15 minutes is RequestTimeTooSkewed', async () => {
  const req = await signedRequest(sim, creds, { path: `/demo-lab/${sim.info.demo.fai}`, signingDate: new Date(Date.now() - 16 * 60 * 1000) });
  const r = await send(sim, req);
  assert.equal(r.status, 403);
  assert.equal(xmlField(r.body, 'Code'), 'RequestTimeTooSkewed');
  const near = await signedRequest(sim, creds, { path: `/demo-lab/${sim.info.demo.fai}`, signingDate: new Date(Date.now() - 10 * 60 * 1000) });
  assert.equal((await send(sim, near)).status, 200);
});

test('presigned URLs work until they expire', async () => {
  const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: 'demo-lab', Key: sim.info.demo.bam }), { expiresIn: 600 });
  assert.match(url, /X-Amz-Security-Token=[^&]*%2B/);
  const r = await fetch(url, { headers: { range: 'bytes=0-1' } });
  assert.equal(r.status, 206);
  const old = await getSignedUrl(s3, new GetObjectCommand({ Bucket: 'demo-lab', Key: sim.info.demo.bam }), { expiresIn: 60, signingDate: new Date(Date.now() - 120 * 1000) });
  const e = await fetch(old);
  assert.equal(e.status, 403);
  const body = await e.text();
  assert.equal(xmlField(body, 'Code'), 'AccessDenied');
  assert.equal(xmlField(body, 'Message'), 'Request has expired');
  const tampered = url.replace(/X-Amz-Expires=600/, 'X-Amz-Expires=601');
  assert.equal(xmlField(await (await fetch(tampered)).text(), 'Code'), 'SignatureDoesNotMatch');
  const otherKey = url.replace('SAMPLE1.bam?', 'SAMPLE1.bam.bai?');
  assert.notEqual(otherKey, url);
  assert.equal(xmlField(await (await fetch(otherKey)).text(), 'Code'), 'SignatureDoesNotMatch');
  const plus = url.replace(/X-Amz-Security-Token=([^&]*)/, (_, t) => 'X-Amz-Security-Token=' + decodeURIComponent(t).replace(/\//g, '%2F').replace(/=/g, '%3D'));
  assert.equal(xmlField(await (await fetch(plus)).text(), 'Code'), 'InvalidToken', "a raw '+' in the token reads as a space");
  const week = await getSignedUrl(s3, new GetObjectCommand({ Bucket: 'demo-lab', Key: sim.info.demo.bam }), { expiresIn: 604800 });
  assert.equal((await fetch(week)).status, 200);
});

test('session tokens of unknown or expired credentials are refused', async () => {
  const expired = await sim.issueCredentials({ lifetime: 3600 });
  const s3e = s3Client(sim, expired);
  await s3e.send(new HeadObjectCommand({ Bucket: 'demo-lab', Key: sim.info.demo.bai }));
  sim.expireCredentials(expired.accessKeyId);
  await assert.rejects(s3e.send(new ListObjectsV2Command({ Bucket: 'demo-lab' })), (e) => e.name === 'ExpiredToken');
  const url = await getSignedUrl(s3e, new GetObjectCommand({ Bucket: 'demo-lab', Key: sim.info.demo.bam }), { expiresIn: 60 });
  assert.equal(xmlField(await (await fetch(url)).text(), 'Code'), 'ExpiredToken');

  const forged = { ...creds, sessionToken: creds.sessionToken.replace(/.{8}$/, 'AAAAAAA=') };
  await assert.rejects(s3Client(sim, forged).send(new ListObjectsV2Command({ Bucket: 'demo-lab' })), (e) => e.name === 'InvalidToken');
  const other = await sim.issueCredentials();
  const mixed = { ...creds, sessionToken: other.sessionToken };
  await assert.rejects(s3Client(sim, mixed).send(new ListObjectsV2Command({ Bucket: 'demo-lab' })), (e) => e.name === 'InvalidToken');
  const noToken = { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey };
  await assert.rejects(s3Client(sim, noToken).send(new ListObjectsV2Command({ Bucket: 'demo-lab' })), (e) => e.name === 'InvalidAccessKeyId');
  const wrongSecret = { ...creds, secretAccessKey: other.secretAccessKey };
  await assert.rejects(s3Client(sim, wrongSecret).send(new ListObjectsV2Command({ Bucket: 'demo-lab' })), (e) => e.name === 'SignatureDoesNotMatch');
});

test('a bucket in another region answers with its region', async () => {
  await assert.rejects(s3.send(new HeadBucketCommand({ Bucket: 'eu-lab' })),
    (e) => e.$metadata.httpStatusCode === 301 && e.$response?.headers['x-amz-bucket-region'] === 'eu-west-2');
  await assert.rejects(s3.send(new ListObjectsV2Command({ Bucket: 'eu-lab' })),
    (e) => e.name === 'PermanentRedirect' && e.$metadata.httpStatusCode === 301);
  const follow = s3Client(sim, creds, 'us-east-1', { followRegionRedirects: true });
  await follow.send(new PutObjectCommand({ Bucket: 'eu-lab', Key: 'hello.txt', Body: 'hi' }));
  const eu = s3Client(sim, creds, 'eu-west-2');
  assert.equal((await eu.send(new HeadBucketCommand({ Bucket: 'eu-lab' }))).BucketRegion, 'eu-west-2');
  assert.equal((await eu.send(new ListObjectsV2Command({ Bucket: 'eu-lab' }))).KeyCount, 1);

  sim.setRegionErrors('malformed');
  try {
    const req = await signedRequest(sim, creds, { path: '/eu-lab', query: { 'list-type': '2' } });
    const r = await send(sim, req);
    assert.equal(r.status, 400);
    assert.equal(xmlField(r.body, 'Code'), 'AuthorizationHeaderMalformed');
    assert.equal(xmlField(r.body, 'Region'), 'eu-west-2');
    assert.equal(r.headers['x-amz-bucket-region'], 'eu-west-2');
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: 'eu-lab', Key: 'hello.txt' }), { expiresIn: 60 });
    const q = await (await fetch(url)).text();
    assert.equal(xmlField(q, 'Code'), 'AuthorizationQueryParametersError');
    assert.equal(xmlField(q, 'Region'), 'eu-west-2');
    const good = await getSignedUrl(eu, new GetObjectCommand({ Bucket: 'eu-lab', Key: 'hello.txt' }), { expiresIn: 60 });
    assert.equal(await (await fetch(good)).text(), 'hi');
  } finally {
    sim.setRegionErrors('redirect');
  }
});

test('CORS: GetBucketCors, PutBucketCors, preflight and headers on GET', async () => {
  const c = await s3.send(new GetBucketCorsCommand({ Bucket: 'demo-lab' }));
  assert.deepEqual(c.CORSRules[0].AllowedMethods, ['GET', 'HEAD']);
  await s3.send(new PutBucketCorsCommand({
    Bucket: 'demo-lab',
    CORSConfiguration: { CORSRules: [{ AllowedOrigins: ['https://chromoscope.bio', 'https://*.igv.org'], AllowedMethods: ['GET', 'HEAD'], AllowedHeaders: ['range', 'authorization'], ExposeHeaders: ['Content-Range', 'Content-Length'], MaxAgeSeconds: 600 }] },
  }));
  const pre = await fetch(`${sim.info.s3_endpoint}/demo-lab/${sim.info.demo.bam}`, {
    method: 'OPTIONS', headers: { origin: 'https://app.igv.org', 'access-control-request-method': 'GET', 'access-control-request-headers': 'Range' },
  });
  assert.equal(pre.status, 200);
  assert.equal(pre.headers.get('access-control-allow-origin'), 'https://app.igv.org');
  assert.equal(pre.headers.get('access-control-allow-headers'), 'range');
  const denied = await fetch(`${sim.info.s3_endpoint}/demo-lab/${sim.info.demo.bam}`, {
    method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
  });
  assert.equal(denied.status, 403);
  const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: 'demo-lab', Key: sim.info.demo.bam }), { expiresIn: 60 });
  const g = await fetch(url, { headers: { origin: 'https://chromoscope.bio', range: 'bytes=0-1' } });
  assert.equal(g.headers.get('access-control-allow-origin'), 'https://chromoscope.bio');
  assert.match(g.headers.get('access-control-expose-headers'), /Content-Range/);
  sim.setBucketCors('demo-lab', null);
  await assert.rejects(s3.send(new GetBucketCorsCommand({ Bucket: 'demo-lab' })), (e) => e.name === 'NoSuchCORSConfiguration');
  const none = await fetch(`${sim.info.s3_endpoint}/demo-lab/${sim.info.demo.bam}`, {
    method: 'OPTIONS', headers: { origin: 'https://chromoscope.bio', 'access-control-request-method': 'GET' },
  });
  assert.equal(none.status, 403);
});

test('every request is logged without secrets', () => {
  const log = JSON.stringify(sim.s3Log);
  assert.ok(sim.s3Log.length > 20);
  assert.ok(!log.includes(creds.sessionToken));
  assert.ok(!log.includes(creds.secretAccessKey));
  assert.ok(sim.s3Log.some((e) => e.auth === 'query' && e.range === 'bytes=0-1' && e.status === 206));
  assert.ok(sim.s3Log.every((e) => !('X-Amz-Signature' in e.query) || e.query['X-Amz-Signature'] === '(withheld)'));
});

test('without s3:ListBucket: listings refused, a missing key is 403 rather than 404', async () => {
  sim.createBucket('no-list-lab');
  sim.putObject('no-list-lab', 'c/S1.bam', 'bam');
  sim.denyListing('no-list-lab');
  try {
    await assert.rejects(s3.send(new ListObjectsV2Command({ Bucket: 'no-list-lab', Prefix: 'c/' })),
      (e) => e.name === 'AccessDenied' && e.$metadata.httpStatusCode === 403);
    const h = await s3.send(new HeadObjectCommand({ Bucket: 'no-list-lab', Key: 'c/S1.bam' }));
    assert.equal(h.ContentLength, 3);
    await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: 'no-list-lab', Key: 'c/S1.bam.bai' })),
      (e) => e.$metadata.httpStatusCode === 403);
    await assert.rejects(s3.send(new GetObjectCommand({ Bucket: 'no-list-lab', Key: 'c/S1.bam.bai' })),
      (e) => e.name === 'AccessDenied');
  } finally {
    sim.denyListing('no-list-lab', false);
  }
  const l = await s3.send(new ListObjectsV2Command({ Bucket: 'no-list-lab', Prefix: 'c/' }));
  assert.deepEqual(l.Contents.map((c) => c.Key), ['c/S1.bam']);
  await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: 'no-list-lab', Key: 'c/S1.bam.bai' })),
    (e) => e.name === 'NotFound');
});

test('StartAfter lists from a key on, inside the prefix, as S3 does', async () => {
  for (const k of ['sa/a', 'sa/b', 'sa/c/d', 'sa/é', 'sb/x']) sim.putObject('demo-lab', k, k);
  const l = await s3.send(new ListObjectsV2Command({ Bucket: 'demo-lab', Prefix: 'sa/', StartAfter: 'sa/a' }));
  assert.deepEqual(l.Contents.map((c) => c.Key), ['sa/b', 'sa/c/d', 'sa/é']);
  assert.equal(l.StartAfter, 'sa/a');
  const before = await s3.send(new ListObjectsV2Command({ Bucket: 'demo-lab', Prefix: 'sa/', StartAfter: 'a' }));
  assert.equal(before.KeyCount, 4, 'a StartAfter before the prefix lists the whole prefix');
});
