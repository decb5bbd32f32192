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
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { startStandIn } from '../aws-sim/index.mjs';
import { makeChromoscopeCohort, makeOddCohort } from './lib/cohort.mjs';
import { scaled } from './lib/timeouts.mjs';

const BUILD = process.env.GK_BUILD_ROOT;
const GENOKEY = process.env.GENOKEY;
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
    // A command that reads no input may exit before it is written.
    child.stdin.on('error', () => {});
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

let work;
let cfgCohort;

before(async () => {
  sim = await startStandIn({ demo: false });
  creds = await sim.issueCredentials({ lifetime: 3600 });
  oddUris = makeOddCohort(sim);
  cfgCohort = makeChromoscopeCohort(sim, { bucket: 'cfg-lab', prefix: 'cohort/', n: 40, odd: true });
  sim.setBucketCors('cfg-lab', [{ AllowedOrigins: ['*'], AllowedMethods: ['GET', 'HEAD'], AllowedHeaders: ['*'], ExposeHeaders: ['Content-Length', 'Content-Range', 'Accept-Ranges'] }]);
  work = mkdtempSync(join(tmpdir(), 'gk-cohorts-'));
});
after(async () => { await sim?.stop(); });

test('the odd cohort pairs as expected, one lookup per file', { timeout: scaled(240000) }, async () => {
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

test('paired from listings: exactly the links and errors of one lookup per file, in fewer requests', { timeout: scaled(240000) }, async () => {
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

test('HEAD-only batches give the same links too', { timeout: scaled(240000) }, async () => {
  const single = await pair('single', oddUris, ['--proxy-base', PROXY]);
  const heads = await pair('batch-head', oddUris, ['--proxy-base', PROXY]);
  assert.deepEqual(heads.lines, single.lines);
  assert.ok(heads.requests.every((e) => e.method === 'HEAD'), 'no listing when asked not to');
});

test('presigned links are the same, and work', { timeout: scaled(240000) }, async () => {
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

test('without s3:ListBucket the batch falls back to HEAD and still agrees', { timeout: scaled(240000) }, async () => {
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

test('files picked far apart are read by several listings side by side, with the same links', { timeout: scaled(240000) }, async () => {
  // One BAM from each of 30 folders of 100 BAMs: the first page shows the
  // picks far apart, so the rest is split among chains that run at once.
  const picks = [];
  for (let f = 0; f < 30; f++) {
    for (let i = 0; i < 100; i++) {
      const key = `spread/F${String(f).padStart(2, '0')}/R${String(i).padStart(3, '0')}.bam`;
      sim.putObject('odd-lab', key, 'bam');
      if (i % 7 !== 3) sim.putObject('odd-lab', `${key}.bai`, 'bai');
      if (i === 3 * (f % 30)) picks.push(`s3://odd-lab/${key}`);
    }
  }
  const single = await pair('single', picks, ['--proxy-base', PROXY]);
  const batch = await pair('batch', picks, ['--proxy-base', PROXY]);
  assert.deepEqual(batch.lines, single.lines);
  assert.ok(batch.lines.some((l) => l.error) && batch.lines.some((l) => !l.error), 'some picks lack an index');
  const lists = batch.requests.filter((e) => e.query['list-type'] === '2' && e.query['start-after'] !== undefined);
  assert.ok(lists.length >= 3, `the rest was split among several chains (${lists.length} started)`);
  assert.ok(batch.requests.length < single.requests.length, `${batch.requests.length} requests vs ${single.requests.length}`);
});

test('a folder listed by runs side by side gives every key once, odd folder names included', { timeout: scaled(240000) }, async () => {
  // Folders whose names sort around each other and around loose files:
  // "S1-x/" before "S1/", "S1.txt" between, nested folders, spaces,
  // non-ASCII, and a folder holding only a subfolder.
  const keys = ['tree/S1/a.bam', 'tree/S1/a.bam.bai', 'tree/S1-x/b.bam', 'tree/S1.txt', 'tree/S1/deep/er/c.vcf.gz',
    'tree/S10/d', 'tree/S2 é/e f.bam', 'tree/S2 é/Ünï.bai', 'tree/top.tsv', 'tree/zz/only/sub/x', 'tree/Z/y',
    'tree0/outside', 'tre/outside'];
  for (let i = 0; i < 60; i++) keys.push(`tree/many/F${String(i).padStart(3, '0')}/k`, `tree/F${String(i).padStart(3, '0')}/k${i}`);
  for (const k of keys) sim.putObject('odd-lab', k, 'x');
  const from = sim.s3Log.length;
  const r = await run(PAIRING_TOOL, ['tree', 's3://odd-lab/tree/']);
  assert.equal(r.status, 0, r.stderr);
  const expected = keys.filter((k) => k.startsWith('tree/')).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  assert.deepEqual(r.stdout.trim().split('\n'), expected);
  const lists = sim.s3Log.slice(from).filter((e) => e.query['list-type'] === '2');
  assert.ok(lists.filter((e) => e.query['start-after'] !== undefined).length > 1, 'several runs side by side');
});

// ---- the CLI over cohorts ------------------------------------------------

function genokey (args, options) {
  return run(GENOKEY, args, options);
}

test('presign --with-index - writes the links and errors of one lookup per file, line by line', { timeout: scaled(240000) }, async () => {
  const single = (await pair('single', oddUris)).lines;
  const input = ['', ...oddUris.slice(0, 5), 'not an address', ...oddUris.slice(5)].join('\n') + '\n';
  const from = sim.s3Log.length;
  const r = await genokey(['presign', '--with-index', '--profile', 'env', '-'], { input });
  const requests = sim.s3Log.length - from;
  assert.equal(r.status, 1, 'some lines fail, so the status is 1');
  const out = r.stdout.split('\n');
  assert.equal(out.pop(), '', 'the output ends with a newline');
  // One output line per non-empty input line, in input order.
  const expected = [...single.slice(0, 5), { error: { message: 'not an s3 address' }, bad: true }, ...single.slice(5)];
  assert.equal(out.length, expected.length, 'one result per address');
  const errors = r.stderr.split('\n').filter((l) => /^genokey presign: line \d+: /.test(l));
  let e = 0;
  for (let i = 0; i < expected.length; i++) {
    const want = expected[i];
    const line = i + 2; // the first input line is empty
    if (want.error) {
      assert.equal(out[i], '', `line ${line} failed: an empty output line`);
      const m = new RegExp(`^genokey presign: line ${line}: (.*)$`).exec(errors[e++]);
      assert.ok(m, `line ${line}'s error names its line: ${errors[e - 1]}`);
      if (!want.bad) assert.equal(m[1], want.error.message);
      continue;
    }
    const [url, index] = out[i].split(' ');
    assert.equal(timeless(url), timeless(want.url), `line ${line}: the link to ${want.key}`);
    assert.equal(timeless(index || null), timeless(want.index_url), `line ${line}: the index link of ${want.key}`);
  }
  assert.equal(e, errors.length, 'no other errors');
  assert.match(r.stderr, /lines could not be signed/);
  console.log(`# presign --with-index - of ${oddUris.length} addresses: ${requests} S3 requests`);
});

// The config Chromoscope should get, from one lookup per file.
async function expectedConfig (name) {
  const rows = cfgCohort.manifest.trim().split('\n').slice(1).map((l) => l.split('\t'));
  const files = rows.flatMap(([, , , sv, cnv, bam, vcf]) => [sv, cnv, bam, vcf]);
  const { lines } = await pair('single', files);
  const link = Object.fromEntries(lines.map((l) => [l.uri, l]));
  const samples = rows.map(([id, cancer, assembly, sv, cnv, bam, vcf]) => ({
    id, cancer, assembly,
    sv: timeless(link[sv].url),
    cnv: timeless(link[cnv].url),
    bam: timeless(link[bam].url),
    bai: timeless(link[bam].index_url),
    vcf: timeless(link[vcf].url),
    vcfIndex: timeless(link[vcf].index_url),
  }));
  return { name, samples };
}

function timelessConfig (config) {
  return {
    name: config.name,
    samples: config.samples.map((s) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, /^https?:/.test(v) ? timeless(v) : v]))),
  };
}

test('chromoscope: a manifest and a folder of sample folders give the config of one lookup per file', { timeout: scaled(240000) }, async () => {
  const expected = await expectedConfig('Cfg');
  const manifest = join(work, 'cohort.tsv');
  writeFileSync(manifest, cfgCohort.manifest);

  const fromManifest = join(work, 'manifest.json');
  let from = sim.s3Log.length;
  const m = await genokey(['chromoscope', '--profile', 'env', '--manifest', manifest, '--name', 'Cfg', '--no-upload', '-o', fromManifest]);
  assert.equal(m.status, 0, m.stderr);
  const manifestRequests = sim.s3Log.slice(from);
  const got = timelessConfig(JSON.parse(readFileSync(fromManifest, 'utf8')));
  assert.deepEqual(got, expected);
  assert.ok(!manifestRequests.some((e) => e.method === 'HEAD'), 'every index came from a listing');

  const fromFolder = join(work, 'folder.json');
  from = sim.s3Log.length;
  const f = await genokey(['chromoscope', '--profile', 'env', 's3://cfg-lab/cohort/', '--name', 'Cfg', '--no-upload', '-o', fromFolder]);
  assert.equal(f.status, 0, f.stderr);
  const folderRequests = sim.s3Log.slice(from);
  // The folder's own listing pairs the indexes: no further lookups.
  assert.ok(folderRequests.every((e) => e.method === 'GET' && (e.query['list-type'] === '2' || 'cors' in e.query)),
    `only the folder's listing (and CORS): ${folderRequests.map((e) => e.method + ' ' + JSON.stringify(e.query)).join(', ')}`);
  const folder = timelessConfig(JSON.parse(readFileSync(fromFolder, 'utf8')));
  const byId = (c) => Object.fromEntries(c.samples.map((x) => [x.id, x]));
  assert.deepEqual(byId(folder), byId(expected));
  console.log(`# chromoscope, ${cfgCohort.ids.length} samples: ${manifestRequests.length} S3 requests from a manifest, ${folderRequests.length} from the folder`);
});

test('chromoscope: the first sample with a problem is named, as one lookup per file would', { timeout: scaled(240000) }, async () => {
  const rows = cfgCohort.manifest.trim().split('\n');
  // Sample S00003 loses its VCF index; S00007 names a file that is not there.
  sim.s3.buckets.get('cfg-lab').objects.delete('cohort/S00003/S00003.vcf.gz.tbi');
  sim.s3.buckets.get('cfg-lab').sorted = null;
  try {
    rows[7] = rows[7].replace('S00007.bam', 'S00007-missing.bam');
    const manifest = join(work, 'broken.tsv');
    writeFileSync(manifest, rows.join('\n') + '\n');
    const r = await genokey(['chromoscope', '--profile', 'env', '--manifest', manifest, '--no-upload', '-o', join(work, 'broken.json')]);
    assert.equal(r.status, 1);
    const single = (await pair('single', ['s3://cfg-lab/cohort/S00003/S00003.vcf.gz'])).lines[0];
    assert.equal(r.stderr.trim(), `genokey chromoscope: Sample “S00003”: ${single.error.message}`);
  } finally {
    sim.putObject('cfg-lab', 'cohort/S00003/S00003.vcf.gz.tbi', '(tbi)');
  }
});

test('chromoscope: the CORS rules of every bucket are checked side by side and reported in order', { timeout: scaled(240000) }, async () => {
  const manifest = join(work, 'two-buckets.tsv');
  writeFileSync(manifest, 'id\tcancer\tassembly\tsv\tbam\n' +
    'A\tunknown\thg38\ts3://cfg-lab/cohort/S00001/S00001.sv.bedpe\ts3://cfg-lab/cohort/S00001/S00001.bam\n' +
    'B\tunknown\thg38\ts3://cfg-lab/cohort/S00002/S00002.sv.bedpe\ts3://odd-lab/cohort/S1/S1.bam\n');
  const from = sim.s3Log.length;
  const r = await genokey(['chromoscope', '--profile', 'env', '--manifest', manifest, '--no-upload', '-o', join(work, 'two.json')]);
  assert.equal(r.status, 0, r.stderr);
  const cors = sim.s3Log.slice(from).filter((e) => 'cors' in e.query);
  assert.deepEqual(cors.map((e) => e.bucket).sort(), ['cfg-lab', 'odd-lab'], 'each bucket asked once');
  assert.match(r.stderr, /will not be able to read bucket “odd-lab”/);
  assert.doesNotMatch(r.stderr, /bucket “cfg-lab”/, 'no warning for the bucket whose CORS allows Chromoscope');
});

// IGV-Web's session, from the link genokey igv-web prints.
function igvWebSession (url) {
  const blob = /sessionURL=blob:([^&\s]+)/.exec(url)[1];
  const b64 = blob.replace(/\./g, '+').replace(/_/g, '/').replace(/-/g, '=');
  return JSON.parse(inflateRawSync(Buffer.from(b64, 'base64')).toString('utf8'));
}

test('igv-web with several tracks: the links of one lookup per file, each checked', { timeout: scaled(240000) }, async () => {
  const uris = oddUris.filter((u) => u.startsWith('s3://odd-lab/')).filter((u) => /S1\.bam|S3\.bam|S 7 é\.bam|S6\.vcf|mixed\/A\.bam|top\.bam/.test(u)).filter((u, i, a) => a.indexOf(u) === i);
  const single = (await pair('single', uris)).lines;
  const from = sim.s3Log.length;
  const r = await genokey(['igv-web', '--profile', 'env', '--no-open', ...uris]);
  assert.equal(r.status, 0, r.stderr);
  const ranges = sim.s3Log.slice(from).filter((e) => e.method === 'GET' && e.range);
  assert.equal(ranges.length, single.length * 2, 'a one-byte read through every link and index link');
  const session = igvWebSession(r.stdout);
  const tracks = session.tracks.filter((t) => t.url);
  assert.deepEqual(tracks.map((t) => [timeless(t.url), timeless(t.indexURL)]),
    single.map((l) => [timeless(l.url), timeless(l.index_url)]));
  const missing = await genokey(['igv-web', '--profile', 'env', '--no-open', uris[0], 's3://odd-lab/cohort/S4/S4.bam']);
  assert.equal(missing.status, 1);
  const s4 = (await pair('single', ['s3://odd-lab/cohort/S4/S4.bam'])).lines[0];
  assert.equal(missing.stderr.trim(), `genokey igv-web: ${s4.error.message}`);
});

// ---- the progress line -----------------------------------------------------

// Runs @args with stderr (and stdin) on a pseudo-terminal made by script(1);
// stdout goes to a file. Resolves { status, terminal, stdout }.
async function onTerminal (args, input) {
  const dir = mkdtempSync(join(work, 'pty-'));
  writeFileSync(join(dir, 'in'), input);
  const quote = (a) => `'${a.replace(/'/g, "'\\''")}'`;
  const command = `${[GENOKEY, ...args].map(quote).join(' ')} < ${quote(join(dir, 'in'))} > ${quote(join(dir, 'out'))}`;
  const r = await run('script', ['-qefc', command, '/dev/null'], { env: { TERM: 'xterm-256color' } });
  return { status: r.status, terminal: r.stdout, stdout: readFileSync(join(dir, 'out'), 'utf8') };
}

test('the progress line appears on a terminal, not in a pipe, and not with --quiet', { timeout: scaled(240000) }, async () => {
  const input = oddUris.join('\n') + '\n';
  const args = ['presign', '--with-index', '--profile', 'env', '-'];
  // Slow enough (a few listings and HEADs, each this late) to pass the
  // line's one-second threshold on any machine.
  sim.setLatency(1200);
  try {
    const tty = await onTerminal(args, input);
    assert.equal(tty.status, 1, 'some addresses fail, as in a pipe');
    assert.match(tty.terminal, /\rSigning links: \d+ of \d+, \d+\/s, [^\r\n]* left\x1b\[K/,
      `a progress line with done, total, rate and time left on the terminal:\n${JSON.stringify(tty.terminal.slice(0, 2000))}`);
    assert.match(tty.terminal, /\r\x1b\[K[^\r\x1b]+\r?\n/,
      `the line is wiped before messages:\n${JSON.stringify(tty.terminal.slice(-1500))}`);
    assert.ok(!/Signing links/.test(tty.stdout), 'nothing of it on stdout');

    const pipe = await genokey(args, { input });
    assert.equal(pipe.status, 1);
    assert.ok(!/Signing links|\r|\x1b/.test(pipe.stderr), `nothing extra in a pipe:\n${JSON.stringify(pipe.stderr)}`);
    assert.equal(pipe.stdout.split('\n').length, tty.stdout.split('\n').length, 'the same results either way');

    const quiet = await onTerminal([...args.slice(0, -1), '--quiet', '-'], input);
    assert.equal(quiet.status, 1);
    assert.ok(!/Signing links/.test(quiet.terminal), '--quiet shows no progress line');
    assert.match(quiet.terminal, /genokey presign: line \d+: /, '--quiet keeps the errors');
  } finally {
    sim.setLatency(0);
  }
});
