// genokey presign and ls against the local AWS stand-in's verifying S3.
//
// Credentials come from sim.issueCredentials() through --profile env with
// AWS_ENDPOINT_URL_S3, so this needs no sign-in. Links are fetched with
// node:http and their raw path, so nothing normalises "./" or "../" or
// re-encodes a byte on the way. Assertion messages never include a link.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import { startStandIn } from '../aws-sim/index.mjs';

const GENOKEY = process.env.GENOKEY;
const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
let sim;
let creds;

const HARD_KEYS = [
  'hard/with space.bam',
  'hard/plus+equals=.bam',
  'hard/percent%20literal.bam',
  'hard/question?.bam',
  'hard/hash#.bam',
  'hard/amp&.bam',
  'hard/tilde~(paren).bam',
  'hard/é ü ሴ.bam',
  'hard//double.bam',
  'hard/./dot.bam',
  'hard/../up.bam',
  '/leading.bam',
  'hard/' + 'x'.repeat(300) + '/' + 'é'.repeat(200) + '.bam',
];

function run (args, { env = {}, input } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(GENOKEY, args, {
      env: { ...process.env, ...awsEnv(creds), ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    // A command that reads no input may exit before it is written.
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
  });
}

function awsEnv (c) {
  return {
    AWS_ACCESS_KEY_ID: c.accessKeyId,
    AWS_SECRET_ACCESS_KEY: c.secretAccessKey,
    AWS_SESSION_TOKEN: c.sessionToken,
    AWS_CREDENTIAL_EXPIRATION: new Date(c.expiration).toISOString(),
    AWS_REGION: sim.info.region,
    AWS_ENDPOINT_URL_S3: sim.info.s3_endpoint,
  };
}

// GET a URL exactly as written (no WHATWG normalisation of the path).
function get (url) {
  const m = /^http:\/\/([^/:]+):(\d+)(\/.*)$/.exec(url);
  assert.ok(m, 'not an http://host:port/ link');
  return new Promise((resolve, reject) => {
    const req = http.request({ host: m[1], port: Number(m[2]), path: m[3], method: 'GET', agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

before(async () => {
  sim = await startStandIn({ credentialLifetime: 3600, bucketRegions: { 'far-lab': 'ap-southeast-2' } });
  creds = await sim.issueCredentials({ lifetime: 3600 });
  for (const key of HARD_KEYS)
    sim.putObject('demo-lab', key, Buffer.from('content of ' + key));
  for (let i = 0; i < 1100; i++)
    sim.putObject('demo-lab', `many/k${String(i).padStart(5, '0')}.txt`, Buffer.from(String(i)));
  sim.putObject('far-lab', 'x.bam', Buffer.from('far away'));
  sim.putObject('demo-lab', 'noindex/S2.bam', Buffer.from('bam without index'));
  sim.putObject('demo-lab', 'hard/./dot.bam.bai', Buffer.from('index beside a dotted key'));
});

after(async () => {
  agent.destroy();
  await sim?.stop();
});

test('every presigned link for awkward keys is accepted (presign - streams one per line)', async () => {
  const input = HARD_KEYS.map((k) => `s3://demo-lab/${k}`).join('\n') + '\n';
  const r = await run(['presign', '--profile', 'env', '-'], { input });
  assert.equal(r.status, 0, `exit ${r.status}: ${r.stderr}`);
  const urls = r.stdout.trim().split('\n');
  assert.equal(urls.length, HARD_KEYS.length);
  for (const [i, url] of urls.entries()) {
    const res = await get(url);
    assert.equal(res.status, 200, `key #${i} (${JSON.stringify(HARD_KEYS[i]).slice(0, 40)}) refused`);
    assert.equal(res.body.toString(), 'content of ' + HARD_KEYS[i]);
  }
  const queryAuth = sim.s3Log.filter((e) => e.auth === 'query' && e.status === 200);
  assert.ok(queryAuth.length >= HARD_KEYS.length);
});

test('header-signed calls are accepted: ls lists the awkward keys and >1000 keys across pages', async () => {
  const hard = await run(['ls', '--profile', 'env', '--json', 's3://demo-lab/hard/']);
  assert.equal(hard.status, 0, hard.stderr);
  const listing = JSON.parse(hard.stdout);
  const keys = new Set(listing.objects.map((o) => o.key));
  for (const k of HARD_KEYS.filter((k) => k.startsWith('hard/') && !k.slice(5).includes('/')))
    assert.ok(keys.has(k), `missing ${JSON.stringify(k).slice(0, 40)}`);
  for (const folder of ['hard//', 'hard/./', 'hard/../'])
    assert.ok(listing.folders.includes(folder), `the ${folder} folder is listed`);

  const before = sim.s3Log.filter((e) => e.query && 'list-type' in e.query).length;
  const many = await run(['ls', '--profile', 'env', '--json', 's3://demo-lab/many/']);
  assert.equal(many.status, 0, many.stderr);
  const m = JSON.parse(many.stdout);
  assert.equal(m.objects.length, 1100);
  assert.equal(new Set(m.objects.map((o) => o.key)).size, 1100);
  assert.equal(m.objects[1099].size, 4);
  const pages = sim.s3Log.filter((e) => e.query && 'list-type' in e.query).length - before;
  assert.ok(pages >= 2, `listed in ${pages} request(s)`);
  assert.ok(sim.s3Log.some((e) => e.auth === 'header' && e.status === 200));

  const text = await run(['ls', '--profile', 'env', 's3://demo-lab/cohort1/SAMPLE1/']);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /SAMPLE1\.bam\n/);
  assert.match(text.stdout, /\d{4}-\d\d-\d\d \d\d:\d\d .*SAMPLE1\.vcf\.gz\.tbi/);

  const buckets = await run(['ls', '--profile', 'env']);
  assert.equal(buckets.status, 0, buckets.stderr);
  assert.match(buckets.stdout, /s3:\/\/demo-lab\//);
});

test('a bucket in another region is found through the region error and works', async () => {
  const ls = await run(['ls', '--profile', 'env', '--json', 's3://far-lab/']);
  assert.equal(ls.status, 0, ls.stderr);
  assert.deepEqual(JSON.parse(ls.stdout).objects.map((o) => o.key), ['x.bam']);
});

test('--with-index signs the index that exists; --json gives url, index_url, expires_at', async () => {
  const d = sim.info.demo;
  const r = await run(['presign', '--profile', 'env', '--with-index', '--json', `s3://${d.bucket}/${d.bam}`]);
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(j).sort(), ['expires_at', 'expires_in', 'index_url', 'url']);
  assert.equal((await get(j.url)).status, 200);
  const idx = await get(j.index_url);
  assert.equal(idx.status, 200);
  assert.ok(j.index_url.includes('/SAMPLE1.bam.bai?'));
  const left = Date.parse(j.expires_at) / 1000 - Date.now() / 1000;
  assert.ok(left > 3500 && left <= 3601, `expires in ${left}s`);

  const text = await run(['presign', '--profile', 'env', '--with-index', `s3://${d.bucket}/${d.vcf}`]);
  assert.equal(text.status, 0, text.stderr);
  const lines = text.stdout.trim().split('\n');
  assert.equal(lines.length, 2);
  assert.ok(lines[1].includes('.vcf.gz.tbi?'));
  assert.match(text.stderr, /Valid until/);

  // HeadObject on a key holding "./": sent and signed literally.
  const dotted = await run(['presign', '--profile', 'env', '--with-index', '--json', 's3://demo-lab/hard/./dot.bam']);
  assert.equal(dotted.status, 0, dotted.stderr);
  const dj = JSON.parse(dotted.stdout);
  assert.equal((await get(dj.index_url)).body.toString(), 'index beside a dotted key');

  const missing = await run(['presign', '--profile', 'env', '--with-index', 's3://demo-lab/noindex/S2.bam']);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /noindex\/S2\.bam\.bai/);
  assert.match(missing.stderr, /noindex\/S2\.bai/);
  assert.equal(missing.stdout, '');
});

// Quotes and their escapes in a key or an endpoint once broke the hand-built
// JSON of presign --json. The key's bytes are percent-encoded into the link;
// an endpoint whose host holds them is refused before anything is printed.
test('presign --json is valid JSON with " and %22 in the key and the endpoint', async () => {
  const key = 'hard/quote"and%22and\\back.bam';
  sim.putObject('demo-lab', key, Buffer.from('quoted key'));
  const r = await run(['presign', '--profile', 'env', '--json', `s3://demo-lab/${key}`]);
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.ok(j.url.includes('/demo-lab/hard/quote%22and%2522and%5Cback.bam?'), 'the key percent-encoded');
  const got = await get(j.url);
  assert.equal(got.status, 200);
  assert.equal(got.body.toString(), 'quoted key');

  // In the endpoint's path: kept encoded, and the JSON still parses.
  const prefixed = await run(['presign', '--profile', 'env', '--json', 's3://demo-lab/a.bam'],
    { env: { AWS_ENDPOINT_URL_S3: `${sim.info.s3_endpoint}/pre%22fix"` } });
  assert.equal(prefixed.status, 0, prefixed.stderr);
  assert.ok(JSON.parse(prefixed.stdout).url.startsWith(`${sim.info.s3_endpoint}/pre%22fix%22/demo-lab/a.bam?`));

  // In the endpoint's host: refused with the rule, and nothing on stdout.
  for (const endpoint of ['https://127.0.0.%221:9/', 'https://localhost%22:9/', 'https://a"b.localhost:9/']) {
    const bad = await run(['presign', '--profile', 'env', '--json', 's3://demo-lab/a.bam'],
      { env: { AWS_ENDPOINT_URL_S3: endpoint } });
    assert.equal(bad.status, 1, `${endpoint}: ${bad.stderr}`);
    assert.equal(bad.stdout, '');
    assert.match(bad.stderr, /host is a plain host name or IP address/);
  }
});

test('a link expires when asked', async () => {
  const r = await run(['presign', '--profile', 'env', '--expires', '2', 's3://demo-lab/hard/with space.bam']);
  assert.equal(r.status, 0, r.stderr);
  const url = r.stdout.trim();
  assert.equal((await get(url)).status, 200);
  await sleep(3200);
  const late = await get(url);
  assert.equal(late.status, 403);
  assert.match(late.body.toString(), /expired/i);
});

test('tampering with any byte of the path or query is refused', async () => {
  const r = await run(['presign', '--profile', 'env', 's3://demo-lab/hard/plus+equals=.bam']);
  assert.equal(r.status, 0, r.stderr);
  const url = r.stdout.trim();
  assert.equal((await get(url)).status, 200);
  const start = url.indexOf('/', 'http://'.length);
  let tried = 0;
  for (let i = start + 1; i < url.length; i++) {
    const c = url[i];
    const t = url.slice(0, i) + (c === 'A' ? 'B' : 'A') + url.slice(i + 1);
    const res = await get(t);
    assert.notEqual(res.status, 200, `changing byte ${i - start} of the path/query was accepted`);
    tried++;
  }
  assert.ok(tried > 1000, `only ${tried} bytes tried`);
});

test('--expires 0 is refused, 604801 and beyond the credentials are capped with a notice', async () => {
  const zero = await run(['presign', '--profile', 'env', '--expires', '0', 's3://demo-lab/many/k00001.txt']);
  assert.equal(zero.status, 2);
  assert.match(zero.stderr, /at least 1 second/);
  assert.equal(zero.stdout, '');

  const week = await run(['presign', '--profile', 'env', '--json', '--expires', '604801', 's3://demo-lab/many/k00001.txt']);
  assert.equal(week.status, 0, week.stderr);
  const w = JSON.parse(week.stdout);
  // These credentials last an hour: the link lives as long as they do.
  assert.ok(w.expires_in <= 3600 && w.expires_in > 3500, `expires_in ${w.expires_in}`);
  assert.ok(w.url.includes(`X-Amz-Expires=${w.expires_in}&`));
  assert.match(week.stderr, /credentials that sign them expire then/);
  assert.equal((await get(w.url)).status, 200);

  const streamed = await run(['presign', '--profile', 'env', '--json', '--expires', '7200', '-'],
                             { input: 's3://demo-lab/many/k00002.txt\ns3://demo-lab/many/k00003.txt\n' });
  assert.equal(streamed.status, 0, streamed.stderr);
  const lines = streamed.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, 2);
  for (const l of lines) {
    assert.ok(l.expires_in <= 3600);
    assert.equal(l.index_url, null);
    assert.equal((await get(l.url)).status, 200);
  }
  assert.equal(streamed.stderr.match(/expire then/g)?.length, 1, 'the notice is given once');
});

test('bad lines in a stream get an error line each and exit 1; the rest are signed', async () => {
  const input = ['s3://demo-lab/many/k00004.txt', 'not-an-address', 's3://Bad_Bucket/x',
                 's3://demo-lab/many/k00005.txt'].join('\n') + '\n';
  const r = await run(['presign', '--profile', 'env', '-'], { input });
  assert.equal(r.status, 1);
  const lines = r.stdout.split('\n');
  assert.equal(lines.length, 5); // four results and the final newline
  assert.equal(lines[1], '');
  assert.equal(lines[2], '');
  assert.equal((await get(lines[0])).status, 200);
  assert.equal((await get(lines[3])).status, 200);
  assert.match(r.stderr, /line 2: /);
  assert.match(r.stderr, /line 3: .*bucket name/);
});

test('a link signed with renewed credentials works after the old ones expire', async () => {
  const old = await sim.issueCredentials({ lifetime: 3 });
  const a = await run(['presign', '--profile', 'env', '--json', 's3://demo-lab/many/k00006.txt'], { env: awsEnv(old) });
  assert.equal(a.status, 0, a.stderr);
  const oldLink = JSON.parse(a.stdout);
  assert.ok(oldLink.expires_in <= 3, 'capped at the credentials');
  assert.equal((await get(oldLink.url)).status, 200);

  const renewed = await sim.issueCredentials({ lifetime: 3600 });
  const b = await run(['presign', '--profile', 'env', '--json', 's3://demo-lab/many/k00006.txt'], { env: awsEnv(renewed) });
  assert.equal(b.status, 0, b.stderr);
  await sleep(4000);
  assert.notEqual((await get(oldLink.url)).status, 200);
  assert.equal((await get(JSON.parse(b.stdout).url)).status, 200);

  const gone = await run(['presign', '--profile', 'env', 's3://demo-lab/many/k00006.txt'], { env: awsEnv(old) });
  assert.equal(gone.status, 1);
  assert.match(gone.stderr, /expired/);
});

test('--profile env says which variable is missing', async () => {
  const r = await run(['ls', '--profile', 'env'], { env: { AWS_ACCESS_KEY_ID: '' } });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /AWS_ACCESS_KEY_ID is not set/);
});

// A key in a shared bucket can hold terminal controls: an OSC that retitles
// the window, a carriage return and a line that looks like genokey's, a C1
// CSI that clears the screen. genokey prints them escaped, never raw.
test('ls and messages print control characters in keys escaped', async () => {
  const evil = 'term/\x1b]0;pwned\x07x\r\nforged\x7f\u009b2J.bam';
  sim.putObject('demo-lab', evil, Buffer.from('x'));
  const raw = /[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f]/;

  const ls = await run(['ls', '--profile', 'env', 's3://demo-lab/term/']);
  assert.equal(ls.status, 0, ls.stderr);
  assert.doesNotMatch(ls.stdout, raw);
  assert.match(ls.stdout, /\\x1b\]0;pwned\\x07x\\x0d\\x0aforged\\x7f\\u009b2J\.bam/);
  assert.equal(ls.stdout.trim().split('\n').length, 1, 'the key stays on its own line');

  // As JSON the key is the same string, the controls \u-escaped.
  const json = await run(['ls', '--profile', 'env', '--json', 's3://demo-lab/term/']);
  assert.doesNotMatch(json.stdout, raw);
  assert.deepEqual(JSON.parse(json.stdout).objects.map((o) => o.key), [evil]);

  // A message quoting a listed key: a CRAM in a sample folder, which
  // Chromoscope cannot read, named in the error.
  sim.putObject('demo-lab', 'term2/S1/\x1b]0;pwned\x07S1.cram', Buffer.from('x'));
  const cram = await run(['chromoscope', '--profile', 'env', '--no-upload', 's3://demo-lab/term2/']);
  assert.equal(cram.status, 1, cram.stderr);
  assert.match(cram.stderr, /\\x1b\]0;pwned\\x07S1\.cram/);
  assert.doesNotMatch(cram.stderr, raw);
  // Typed on the command line, such a key is refused without echoing it.
  const typed = await run(['presign', '--profile', 'env', `s3://demo-lab/${evil}`]);
  assert.equal(typed.status, 2);
  assert.doesNotMatch(typed.stderr, raw);
});
