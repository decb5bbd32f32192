// Cohorts: indexes paired from listings give exactly what one lookup per
// file gives, on a cohort with every odd case (lib/cohort.mjs), against the
// stand-in's verifying S3, with fewer requests.
//
// "One lookup per file" is gk_linker_sign_async() with the index, one file
// after the other: HEAD for each index name in turn, as before listings.
// tests/pairing-tool runs it and the batch over the same addresses.
// Credentials come from sim.issueCredentials() through the standard AWS
// variables. Assertion messages never include a signed link.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startStandIn } from '../aws-sim/index.mjs';
import { makeOddCohort } from './lib/cohort.mjs';

const BUILD = process.env.GK_BUILD_ROOT;
const PAIRING_TOOL = join(BUILD, 'tests', 'pairing-tool');
const PROXY = 'http://127.0.0.1:9';

let sim;
let creds;
let oddUris;

function awsEnv () {
  return {
    AWS_ACCESS_KEY_ID: creds.accessKeyId,
    AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
    AWS_SESSION_TOKEN: creds.sessionToken,
    AWS_CREDENTIAL_EXPIRATION: new Date(creds.expiration).toISOString(),
    AWS_REGION: sim.info.region,
    AWS_ENDPOINT_URL_S3: sim.info.s3_endpoint,
  };
}

export function run (cmd, args, { input = '', env = {}, timeout = 240_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...awsEnv(), ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

// Runs pairing-tool; resolves its JSON lines and the S3 requests they took.
async function pair (mode, uris, extra = []) {
  const from = sim.s3Log.length;
  const r = await run(PAIRING_TOOL, [mode, ...extra], { input: uris.join('\n') + '\n' });
  assert.equal(r.status, 0, `pairing-tool ${mode} failed: ${r.stderr}`);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, uris.length, `pairing-tool ${mode}: one answer per address`);
  return { lines, requests: sim.s3Log.slice(from) };
}

// A presigned link without what depends on the second it was signed.
export function timeless (url) {
  if (url === null || url === undefined) return url;
  return url
    .replace(/X-Amz-Date=\d{8}T\d{6}Z/, 'X-Amz-Date=T')
    .replace(/X-Amz-Credential=([^&]*?)%2F\d{8}%2F/, 'X-Amz-Credential=$1%2FD%2F')
    .replace(/X-Amz-Expires=\d+/, 'X-Amz-Expires=E')
    .replace(/X-Amz-Signature=[0-9a-f]{64}/, 'X-Amz-Signature=S');
}

function timelessLines (lines) {
  return lines.map((l) => ({ ...l, url: timeless(l.url), index_url: timeless(l.index_url) }));
}

function summary (lines) {
  // For failure messages: keys and errors, never links.
  return lines.map((l) => `${l.uri} → ${l.error ? 'error: ' + l.error.message : l.index_key}`).join('\n');
}

before(async () => {
  sim = await startStandIn({ demo: false });
  creds = await sim.issueCredentials({ lifetime: 3600 });
  oddUris = makeOddCohort(sim);
});
after(async () => { await sim?.stop(); });

test('the odd cohort pairs as expected, one lookup per file', { timeout: 240000 }, async () => {
  const { lines } = await pair('single', oddUris, ['--proxy-base', PROXY]);
  const byUri = Object.fromEntries(lines.map((l) => [l.uri, l]));
  const index = (k) => byUri[`s3://odd-lab/${k}`]?.index_key;
  const error = (k) => byUri[`s3://odd-lab/${k}`]?.error?.message;
  // The reference itself must be right, or agreeing with it proves little.
  assert.equal(index('cohort/S1/S1.bam'), 'cohort/S1/S1.bam.bai');
  assert.equal(index('cohort/S2/S2.bam'), 'cohort/S2/S2.bai');
  assert.equal(index('cohort/S3/S3.bam'), 'cohort/S3/S3.bam.bai', '.bam.bai wins over .bai');
  assert.match(error('cohort/S4/S4.bam'), /No index found for s3:\/\/odd-lab\/cohort\/S4\/S4\.bam/);
  assert.equal(index('cohort/S5/S5.vcf.gz'), 'cohort/S5/S5.vcf.gz.csi');
  assert.equal(index('cohort/S6/S6.vcf.gz'), 'cohort/S6/S6.vcf.gz.tbi', '.tbi wins over .csi');
  assert.equal(index('cohort/S 7 é/S 7 é.bam'), 'cohort/S 7 é/S 7 é.bam.bai');
  assert.equal(index('cohort/S 7 é/Ünï çødé.vcf.gz'), 'cohort/S 7 é/Ünï çødé.vcf.gz.tbi');
  assert.equal(index('cohort/S8/S8.bcf'), 'cohort/S8/S8.bcf.csi');
  assert.equal(index('cohort/S9/S9.cram'), 'cohort/S9/S9.crai');
  assert.equal(index('cohort/mixed/A.bam'), 'cohort/mixed/A.bam.bai');
  assert.match(error('cohort/mixed/B.bam'), /No index found/, 'an index in a subfolder does not count');
  assert.equal(index('cohort/mixed/C.BAM'), 'cohort/mixed/C.BAM.bai');
  assert.match(error('cohort/mixed/D.bam'), /No index found/, 'S3 keys are case-sensitive');
  assert.equal(byUri['s3://odd-lab/cohort/mixed/E.sv.bedpe'].index_key, null, 'BEDPE has no index');
  assert.equal(index('top.bam'), 'top.bai');
  assert.equal(index('cohort/sparse/A.bam'), 'cohort/sparse/A.bam.bai');
  assert.equal(index('cohort/sparse/Z.bam'), 'cohort/sparse/Z.bai');
  assert.match(error('cohort/S10/S10.bam'), /No index found/);
  assert.ok(byUri['s3://no-such-lab-bucket/c/S1.bam'].error, 'a missing bucket is an error');
});

test('paired from listings: exactly the links and errors of one lookup per file, in fewer requests', { timeout: 240000 }, async () => {
  const single = await pair('single', oddUris, ['--proxy-base', PROXY]);
  const batch = await pair('batch', oddUris, ['--proxy-base', PROXY]);
  assert.deepEqual(batch.lines, single.lines, `listing-based pairing differs:\n${summary(batch.lines)}\n--- one lookup per file:\n${summary(single.lines)}`);

  const lists = batch.requests.filter((e) => e.method === 'GET' && e.query['list-type'] === '2');
  const heads = batch.requests.filter((e) => e.method === 'HEAD');
  console.log(`# one lookup per file: ${single.requests.length} requests; from listings: ${batch.requests.length} (${lists.length} listings, ${heads.length} HEAD)`);
  assert.ok(lists.length > 0, 'the batch listed');
  assert.ok(lists.every((e) => e.query['start-after'] !== undefined || e.query['continuation-token'] !== undefined),
    'each listing starts at its range');
  // The sparse folder's listing gives up for HEAD; the other indexes come
  // from listings.
  assert.ok(heads.length > 0 && heads.length <= 4, `${heads.length} HEAD requests`);
  assert.ok(heads.every((e) => e.key.startsWith('cohort/sparse/') || e.bucket === 'no-such-lab-bucket'),
    `HEAD only where no listing answered: ${heads.map((e) => e.key).join(', ')}`);
  assert.ok(batch.requests.length * 2 < single.requests.length,
    `${batch.requests.length} requests from listings vs ${single.requests.length} one by one`);
});

test('HEAD-only batches give the same links too', { timeout: 240000 }, async () => {
  const single = await pair('single', oddUris, ['--proxy-base', PROXY]);
  const heads = await pair('batch-head', oddUris, ['--proxy-base', PROXY]);
  assert.deepEqual(heads.lines, single.lines);
  assert.ok(heads.requests.every((e) => e.method === 'HEAD'), 'no listing when asked not to');
});

test('presigned links are the same, and work', { timeout: 240000 }, async () => {
  const single = await pair('single', oddUris);
  const batch = await pair('batch', oddUris);
  assert.deepEqual(timelessLines(batch.lines), timelessLines(single.lines));
  for (const l of batch.lines.filter((x) => !x.error)) {
    for (const url of [l.url, l.index_url].filter(Boolean)) {
      const r = await fetch(url);
      assert.equal(r.status, 200, `the batch's link to ${l.key} (or its index) does not work`);
    }
  }
});

test('without s3:ListBucket the batch falls back to HEAD and still agrees', { timeout: 240000 }, async () => {
  sim.denyListing('odd-lab');
  try {
    const single = await pair('single', oddUris, ['--proxy-base', PROXY]);
    const batch = await pair('batch', oddUris, ['--proxy-base', PROXY]);
    assert.deepEqual(batch.lines, single.lines);
    const refused = batch.requests.filter((e) => e.query['list-type'] === '2' && e.bucket === 'odd-lab');
    assert.ok(refused.length > 0 && refused.every((e) => e.status === 403), 'the listings were tried and refused');
  } finally {
    sim.denyListing('odd-lab', false);
  }
});
