// The window with cohorts, against the stand-in: tests/test-app-cohort
// (the real GkS3Browser under Xvfb) drives the window; this file starts and
// fills the stand-in, sets its latency for each case, and reads S3's own
// log afterwards, so "nothing was uploaded" is checked where the upload
// would land, not only by what the window says.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStandIn } from '../aws-sim/index.mjs';
import { makeChromoscopeCohort } from './lib/cohort.mjs';
import { scaled } from './lib/timeouts.mjs';

const PROGRAM = join(process.env.GK_BUILD_ROOT, 'tests', 'test-app-cohort');
const BUCKET = 'win-lab';
const BIG_KEYS = 100000;

let sim;
let env;

before(async () => {
  sim = await startStandIn({ demo: false });
  makeChromoscopeCohort(sim, { bucket: BUCKET, prefix: 'cohort/', n: 40 });
  for (let i = 0; i < BIG_KEYS; i++) sim.putObject(BUCKET, `flat/k${String(i).padStart(7, '0')}.fastq.gz`, 'x');
  const creds = await sim.issueCredentials({ lifetime: 3600 });
  env = {
    AWS_ACCESS_KEY_ID: creds.accessKeyId,
    AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
    AWS_SESSION_TOKEN: creds.sessionToken,
    AWS_CREDENTIAL_EXPIRATION: new Date(creds.expiration).toISOString(),
    AWS_REGION: sim.info.region,
    AWS_ENDPOINT_URL_S3: sim.info.s3_endpoint,
    GK_TEST_BUCKET: BUCKET,
    GK_TEST_BIG_PREFIX: 'flat/',
    GK_TEST_BIG_KEYS: String(BIG_KEYS),
    GK_TEST_COHORT_PREFIX: 'cohort/',
    GK_TEST_SET_PREFIX: 'cohort/S00001/',
  };
});
after(async () => { await sim?.stop(); });

// Runs one test of the program under Xvfb; resolves its TAP output and
// the S3 requests it made.
function runCase (path, { timeout = 540_000, extraEnv = {} } = {}) {
  return new Promise((resolve, reject) => {
    const from = sim.s3Log.length;
    const child = spawn('xvfb-run', ['-a', '-s', '-screen 0 1280x800x24', PROGRAM, '--tap', '-p', path],
      { env: { ...process.env, ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, out, requests: sim.s3Log.slice(from) });
    });
  });
}

function passed (r, path) {
  assert.equal(r.status, 0, `${path} failed:\n${r.out}`);
  assert.match(r.out, /^ok 1 /m, `${path} did not pass:\n${r.out}`);
}

const configPuts = (requests) => requests.filter((e) => e.method === 'PUT' && /chromoscope-/.test(e.key));

function configsInS3 () {
  return [...sim.s3.buckets.get(BUCKET).objects.keys()].filter((k) => /chromoscope-/.test(k));
}

test('a 100,000-key folder pages in while the list is scrolled and filtered, at 30 ms', { timeout: scaled(600000) }, async () => {
  sim.setLatency(30);
  try {
    const path = '/app/cohort/big-folder-pages-in-while-scrolling-and-filtering';
    const r = await runCase(path);
    passed(r, path);
    const m = /# (\d+ keys in \d+ pages.*)/.exec(r.out);
    if (m) console.log(`# ${m[1]}`);
    assert.equal(r.requests.filter((e) => e.query['list-type'] === '2').length, BIG_KEYS / 1000);
  } finally {
    sim.setLatency(0);
  }
});

for (const [stage, path] of [
  ['listing the folder', '/app/cohort/build-cancelled-while-listing-uploads-nothing'],
  ['signing the set', '/app/cohort/build-cancelled-while-signing-uploads-nothing'],
]) {
  test(`a build cancelled while ${stage} uploads nothing`, { timeout: 600000 }, async () => {
    // Slow answers give the test time to press Cancel in that stage.
    sim.setLatency(1500);
    try {
      const r = await runCase(path);
      passed(r, path);
      assert.deepEqual(configPuts(r.requests), [], 'no upload was even started');
      assert.deepEqual(configsInS3(), []);
    } finally {
      sim.setLatency(0);
    }
  });
}

test('a build cancelled while its config uploads leaves no config in S3', { timeout: scaled(600000) }, async () => {
  // Half the latency before S3 handles a request, half before its answer
  // arrives: Cancel is pressed after S3 has stored the config, before the
  // window hears so, the case where only a delete can take it back.
  sim.setLatency(4000);
  const dir = mkdtempSync(join(tmpdir(), 'gk-window-cohort-'));
  const marker = join(dir, 'upload-received');
  const from = sim.s3Log.length;
  const watch = setInterval(() => {
    if (configPuts(sim.s3Log.slice(from)).some((e) => e.status === 200)) {
      writeFileSync(marker, '');
      clearInterval(watch);
    }
  }, 10);
  try {
    const path = '/app/cohort/build-cancelled-while-uploading-uploads-nothing';
    const r = await runCase(path, { extraEnv: { GK_TEST_UPLOAD_MARKER: marker } });
    passed(r, path);
    const puts = configPuts(r.requests);
    assert.deepEqual(puts.map((e) => e.status), [200], 'S3 stored the upload before the cancel');
    const deletes = r.requests.filter((e) => e.method === 'DELETE' && e.key === puts[0].key);
    assert.equal(deletes.length, 1, 'the config was deleted after the cancel');
    assert.ok(r.requests.indexOf(deletes[0]) > r.requests.indexOf(puts[0]));
    assert.deepEqual(configsInS3(), []);
  } finally {
    clearInterval(watch);
    sim.setLatency(0);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the same build, not cancelled, uploads its config and opens Chromoscope', { timeout: scaled(600000) }, async () => {
  const path = '/app/cohort/build-opens-chromoscope';
  const r = await runCase(path);
  passed(r, path);
  assert.equal(configPuts(r.requests).length, 1);
  assert.equal(configsInS3().length, 1);
  // Every index came from the folder's own listing.
  assert.equal(r.requests.filter((e) => e.method === 'HEAD').length, 0);
});
