// Genokey's SigV4 against the AWS SDK for JavaScript v3 (@smithy/signature-v4
// with @aws-crypto/sha256-js), case by case and stage by stage.
//
// tests/sigv4-tool (a test program linking libgenokey) reads the cases as
// JSON lines and answers with its canonical request, string to sign and URL
// (or signed headers). The SDK computes the same from an independent path
// encoding. The credentials are made up; nothing here is a secret, but
// failures still name the case and the stage rather than dumping URLs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { Hash } from '@smithy/hash-node';

const tool = path.join(process.env.GK_BUILD_ROOT ?? '', 'tests', 'sigv4-tool');

const NOW = 1763900000; // 2025-11-23T12:13:20Z: a fixed signing time
const AKID = 'ASIAQEXAMPLEEXAMPLE7';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const TOKEN = 'IQoJb3JpZ2luX2VjE+/=' + 'AbCd+/Ef=='.repeat(78); // ~800 chars with + / =

const KEYS = [
  'reads.bam',
  'cohort 7/sample 1.bam',
  'a+b=c.vcf.gz',
  'percent%20literal%.bam',
  'what?.bam',
  'hash#tag.cram',
  'amp&and.bed',
  'tilde~dir/x.bam',
  'paren(1).bam',
  'comma,semi;colon:.txt',
  'é/ü/ሴ.bam',
  'double//slash.bam',
  './dot/./x.bam',
  '../up/../x.bam',
  '/leading-slash.bam',
  'trailing-slash/',
  "quote'star*bang!.bam",
  'dollar$at@.bam',
  'x'.repeat(400) + '/' + 'é'.repeat(250) + '/long.bam', // ~910 bytes of S3's 1024
];
const REGIONS = ['us-east-1', 'eu-west-2', 'ap-southeast-2'];

// The SDK's label encoding for S3 keys: encodeURIComponent plus !'()*,
// '/' kept (greedy label). Independent of Genokey's C encoder.
const encodeSegment = (s) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
const encodePath = (p) => p.split('/').map(encodeSegment).join('/');

function target (bucket, key, region, style) {
  if (style === 'virtual')
    return { scheme: 'https', host: `${bucket}.s3.${region}.amazonaws.com`, path: '/' + key };
  if (style === 'path')
    return { scheme: 'https', host: `s3.${region}.amazonaws.com`, path: `/${bucket}/${key}` };
  return { scheme: 'http', host: '127.0.0.1:9000', path: `/${bucket}/${key}` }; // custom endpoint
}

function makeCases () {
  const cases = [];
  let i = 0;
  for (const key of KEYS) {
    for (const style of ['virtual', 'path', 'endpoint']) {
      const region = REGIONS[i % REGIONS.length];
      const bucket = style === 'virtual' ? 'demo-lab' : 'lab.data.v2';
      const t = target(bucket, key, region, style);
      cases.push({
        mode: 'presign', access_key_id: AKID, secret_access_key: SECRET,
        ...(i % 2 === 0 ? { session_token: TOKEN } : {}),
        region, host: t.host, path: t.path, scheme: t.scheme,
        now: NOW + i, expires: [1, 900, 3600, 604800][i % 4],
      });
      i++;
    }
  }
  // Header-signed S3 API calls: ListObjectsV2 pages, HeadObject, PutObject.
  const lists = [
    [['list-type', '2'], ['prefix', 'cohort 7/'], ['delimiter', '/'], ['encoding-type', 'url']],
    [['list-type', '2'], ['continuation-token', '1a+b/c=='], ['prefix', 'é/ü'], ['max-keys', '1000']],
    [['list-type', '2'], ['start-after', 'a&b=c?d#e'], ['fetch-owner', 'false']],
    [['location', '']],
    [['cors', '']],
  ];
  for (const [j, query] of lists.entries()) {
    for (const region of REGIONS) {
      cases.push({
        mode: 'headers', access_key_id: AKID, secret_access_key: SECRET,
        ...(j % 2 === 0 ? { session_token: TOKEN } : {}),
        region, host: `demo-lab.s3.${region}.amazonaws.com`, path: '/', query,
        now: NOW + 1000 + j,
      });
    }
  }
  for (const [j, key] of KEYS.slice(0, 8).entries()) {
    cases.push({
      mode: 'headers', access_key_id: AKID, secret_access_key: SECRET,
      ...(j % 2 === 0 ? { session_token: TOKEN } : {}),
      region: REGIONS[j % 3], method: j % 2 ? 'HEAD' : 'PUT',
      host: 'lab.example:9000', path: '/demo-lab/' + key,
      headers: j % 2 ? [] : [['content-type', 'application/json'], ['Range', ' bytes=0-9  ']],
      payload_hash: j % 2 ? 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
                          : 'UNSIGNED-PAYLOAD',
      now: NOW + 2000 + j,
    });
  }
  return cases;
}

function runTool (cases) {
  const r = spawnSync(tool, [], { input: cases.map((c) => JSON.stringify(c)).join('\n') + '\n', encoding: 'utf8' });
  assert.equal(r.status, 0, `sigv4-tool failed: ${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, cases.length);
  return lines.map((l) => JSON.parse(l));
}

// A signer whose stage outputs are captured, so they can be compared too.
function sdkSigner (c, sha256) {
  const signer = new SignatureV4({
    credentials: { accessKeyId: c.access_key_id, secretAccessKey: c.secret_access_key,
                   ...(c.session_token ? { sessionToken: c.session_token } : {}) },
    region: c.region, service: 's3', sha256, uriEscapePath: false, applyChecksum: true,
  });
  const stages = {};
  const cr = signer.createCanonicalRequest.bind(signer);
  signer.createCanonicalRequest = (...a) => (stages.canonical_request = cr(...a));
  const sts = signer.createStringToSign.bind(signer);
  signer.createStringToSign = async (...a) => (stages.string_to_sign = await sts(...a));
  return { signer, stages };
}

function sdkRequest (c, extraHeaders) {
  const [hostname, port] = c.host.split(':');
  return {
    method: c.method ?? 'GET', protocol: (c.scheme ?? 'https') + ':', hostname,
    ...(port ? { port: Number(port) } : {}),
    path: encodePath(c.path),
    query: Object.fromEntries(c.query ?? []),
    headers: { host: c.host, ...extraHeaders },
  };
}

async function sdkPresign (c, sha256) {
  const { signer, stages } = sdkSigner(c, sha256);
  const req = sdkRequest(c, { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' });
  const signed = await signer.presign(req, {
    signingDate: new Date(c.now * 1000), expiresIn: c.expires,
    // UNSIGNED-PAYLOAD as the payload hash, the header neither signed nor
    // hoisted into the query: the form S3 documents and botocore produces.
    unhoistableHeaders: new Set(['x-amz-content-sha256']),
    unsignableHeaders: new Set(['x-amz-content-sha256']),
  });
  return { signed, stages };
}

async function sdkSignHeaders (c, sha256) {
  const { signer, stages } = sdkSigner(c, sha256);
  const extra = Object.fromEntries(c.headers ?? []);
  extra['x-amz-content-sha256'] = c.payload_hash ?? 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
  const signed = await signer.sign(sdkRequest(c, extra), { signingDate: new Date(c.now * 1000) });
  return { signed, stages };
}

function describe (c, i) {
  return `case ${i} (${c.mode} ${c.method ?? 'GET'} ${JSON.stringify(c.path).slice(0, 60)} ` +
         `${c.region} ${c.session_token ? 'token' : 'no token'} ${c.host})`;
}

const cases = makeCases();

test('sigv4-tool is built', () => {
  assert.ok(existsSync(tool), `${tool} missing: build the tests first`);
});

test(`at least 30 generated cases cover the hard keys (${cases.length} cases)`, () => {
  assert.ok(cases.length >= 30);
  const presigns = cases.filter((c) => c.mode === 'presign');
  for (const needle of [' ', '+', '=', '%', '?', '#', '&', '~', '(', 'é', 'ü', 'ሴ', '//', './', '../'])
    assert.ok(presigns.some((c) => c.path.includes(needle)), `no case with ${needle}`);
  assert.ok(presigns.some((c) => c.path.startsWith('//')), 'no key with a leading /');
  assert.ok(presigns.some((c) => Buffer.byteLength(c.path) > 900), 'no very long key');
  assert.ok(presigns.some((c) => c.session_token) && presigns.some((c) => !c.session_token));
  assert.ok(presigns.some((c) => c.region === 'us-east-1') && presigns.some((c) => c.region !== 'us-east-1'));
});

for (const [hashName, sha256] of [['@aws-crypto/sha256-js', Sha256], ['@smithy/hash-node', Hash.bind(null, 'sha256')]]) {
  test(`presigned URLs equal the SDK's, stage by stage (sha256: ${hashName})`, async () => {
    const answers = runTool(cases);
    let compared = 0;
    for (const [i, c] of cases.entries()) {
      if (c.mode !== 'presign')
        continue;
      const a = answers[i];
      assert.equal(a.error, undefined, `${describe(c, i)}: tool error ${a.error}`);
      const { signed, stages } = await sdkPresign(c, sha256);
      assert.ok(a.canonical_request === stages.canonical_request, `${describe(c, i)}: canonical request differs`);
      assert.ok(a.string_to_sign === stages.string_to_sign, `${describe(c, i)}: string to sign differs`);

      const url = new URL(a.url);
      const [, rawQuery] = a.url.split('?');
      const names = rawQuery.split('&').map((p) => p.split('=')[0]);
      assert.equal(names.at(-1), 'X-Amz-Signature', `${describe(c, i)}: signature is not last`);
      assert.equal(url.protocol, signed.protocol, describe(c, i));
      assert.equal(url.host, c.host, describe(c, i));
      assert.ok(a.url.split('?')[0].endsWith(c.host + signed.path), `${describe(c, i)}: path differs`);
      const sdkQuery = signed.query;
      assert.deepEqual(new Set(names), new Set(Object.keys(sdkQuery)), `${describe(c, i)}: parameters differ`);
      for (const name of names)
        assert.ok(url.searchParams.get(name) === sdkQuery[name], `${describe(c, i)}: ${name} differs`);
      assert.equal(sdkQuery['X-Amz-SignedHeaders'], 'host');
      assert.equal('X-Amz-Security-Token' in sdkQuery, Boolean(c.session_token));
      compared++;
    }
    assert.ok(compared >= 30, `only ${compared} presign cases compared`);
  });

  test(`header-signed requests equal the SDK's, stage by stage (sha256: ${hashName})`, async () => {
    const answers = runTool(cases);
    let compared = 0;
    for (const [i, c] of cases.entries()) {
      if (c.mode !== 'headers')
        continue;
      const a = answers[i];
      assert.equal(a.error, undefined, `${describe(c, i)}: tool error ${a.error}`);
      const { signed, stages } = await sdkSignHeaders(c, sha256);
      assert.ok(a.canonical_request === stages.canonical_request, `${describe(c, i)}: canonical request differs`);
      assert.ok(a.string_to_sign === stages.string_to_sign, `${describe(c, i)}: string to sign differs`);
      assert.ok(a.headers.Authorization === signed.headers.authorization, `${describe(c, i)}: Authorization differs`);
      assert.equal(a.headers['x-amz-date'], signed.headers['x-amz-date']);
      // assert.ok with a message: a failing assert.equal would print the token.
      assert.ok(a.headers['x-amz-security-token'] === signed.headers['x-amz-security-token'],
        `${describe(c, i)}: x-amz-security-token differs`);
      // The query Genokey sends is the canonical one, so what is signed is what goes out.
      assert.equal(a.canonical_request.split('\n')[2], a.query_string, describe(c, i));
      compared++;
    }
    assert.ok(compared >= 20, `only ${compared} header cases compared`);
  });
}

test('a wrong expiry is refused, not signed', () => {
  const base = cases[0];
  const answers = runTool([{ ...base, expires: 0 }, { ...base, expires: 604801 }]);
  for (const a of answers) {
    assert.ok(a.error && /604800/.test(a.error), 'expected an expiry error');
    assert.ok(a.url === undefined, 'a refused expiry still produced a signed URL');
  }
});
