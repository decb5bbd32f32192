// Web genome browsers and Genokey's links, in headless Chromium against the
// local AWS stand-in:
// - `genokey chromoscope`: the signed config link, fetched from a page of
//   another origin, works only when the bucket's CORS allows it, and so do
//   the signed data links inside it (range requests); Genokey warns with the
//   CORS configuration to set when it does not.
// - `genokey igv-web`: igv.js (npm igv) opens the session blob from the link
//   and reads the demo BAM with its index through the signed links.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStandIn } from '../aws-sim/index.mjs';
import { launchChromium } from './lib/chromium.mjs';
import { scaled } from './lib/timeouts.mjs';

const GENOKEY = process.env.GENOKEY;
const HERE = dirname(fileURLToPath(import.meta.url));
const IGV_JS = join(HERE, '..', 'node_modules', 'igv', 'dist', 'igv.min.js');

const CORS_FOR_BROWSERS = [{
  AllowedOrigins: ['*'],
  AllowedMethods: ['GET', 'HEAD'],
  AllowedHeaders: ['*'],
  ExposeHeaders: ['Content-Range', 'Content-Length', 'Accept-Ranges', 'ETag'],
  MaxAgeSeconds: 3000,
}];

let sim, browser, site, siteUrl, work;

before(async () => {
  sim = await startStandIn({});
  work = mkdtempSync(join(tmpdir(), 'gk-handoff-web-'));
  // "Another origin": a page served from its own loopback port.
  site = createServer((req, res) => {
    if (req.url === '/igv.min.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(readFileSync(IGV_JS));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><meta charset="utf-8"><title>viewer</title><div id="igv"></div>');
  });
  await new Promise((r) => site.listen(0, '127.0.0.1', r));
  siteUrl = `http://127.0.0.1:${site.address().port}/`;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await new Promise((r) => site?.close(r) ?? r());
  await sim?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function envFor () {
  const c = await sim.issueCredentials({ lifetime: 3600 });
  return {
    ...process.env,
    AWS_ACCESS_KEY_ID: c.accessKeyId,
    AWS_SECRET_ACCESS_KEY: c.secretAccessKey,
    AWS_SESSION_TOKEN: c.sessionToken,
    AWS_CREDENTIAL_EXPIRATION: new Date(c.expiration).toISOString(),
    AWS_REGION: sim.info.region,
    AWS_ENDPOINT_URL_S3: sim.info.s3_endpoint,
  };
}

function genokey (args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(GENOKEY, args, { env, stdio: ['ignore', 'pipe', 'pipe'], cwd: work });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function s3 (key) {
  return `s3://${sim.info.demo.bucket}/${key}`;
}

// fetch() from the page of the other origin; a CORS refusal is a TypeError.
async function fetchFromPage (page, url, headers = {}) {
  return page.evaluate(async ({ url, headers }) => {
    try {
      const r = await fetch(url, { headers });
      const body = await r.arrayBuffer();
      return {
        status: r.status,
        text: new TextDecoder().decode(body.slice(0, 100000)),
        length: body.byteLength,
        contentRange: r.headers.get('content-range'),
      };
    } catch (e) {
      return { error: String(e) };
    }
  }, { url, headers });
}

async function chromoscope (extra = []) {
  const d = sim.info.demo;
  const r = await genokey(['chromoscope', '--profile', 'env', '--no-open', '--name', 'Demo cohort',
    ...extra, s3(d.bam), s3(d.bedpe), s3(d.cnv), s3(d.vcf)], await envFor());
  assert.equal(r.code, 0, r.stderr);
  const url = r.stdout.trim();
  const prefix = 'https://chromoscope.bio/app/?external=';
  assert.ok(url.startsWith(prefix), 'the Chromoscope URL');
  const link = url.slice(prefix.length);
  // external= is last and the link is not encoded again.
  assert.ok(link.startsWith(`${sim.info.s3_endpoint}/`));
  assert.match(link, /X-Amz-Credential=[^&]*%2F/);
  assert.doesNotMatch(link, /%25/);
  assert.doesNotMatch(r.stderr, /X-Amz-Signature/);
  return { link, stderr: r.stderr };
}

test('chromoscope: a bucket without CORS gets a warning and the browser is refused', { timeout: scaled(120000) }, async () => {
  sim.setBucketCors(sim.info.demo.bucket, null);
  const { link, stderr } = await chromoscope();
  assert.match(stderr, /CORS/);
  assert.match(stderr, /"AllowedOrigins": \["\*"\]/);
  assert.match(stderr, /Content-Range/);

  // Genokey itself can read the config it uploaded…
  const direct = await fetch(link);
  assert.equal(direct.status, 200);
  // …but a page of another origin may not.
  const page = await browser.context.newPage();
  await page.goto(siteUrl);
  const refused = await fetchFromPage(page, link);
  assert.ok(refused.error, `the browser must refuse without CORS (got HTTP ${refused.status})`);
  await page.close();
});

test('chromoscope: with CORS the config and its data links load from another origin', { timeout: scaled(120000) }, async () => {
  sim.setBucketCors(sim.info.demo.bucket, CORS_FOR_BROWSERS);
  const { link, stderr } = await chromoscope();
  assert.doesNotMatch(stderr, /CORS/);

  const page = await browser.context.newPage();
  await page.goto(siteUrl);
  const config = await fetchFromPage(page, link);
  assert.equal(config.error, undefined, config.error);
  assert.equal(config.status, 200);
  const cohort = JSON.parse(config.text);
  assert.equal(cohort.name, 'Demo cohort');
  assert.equal(cohort.samples.length, 1);
  const [sample] = cohort.samples;
  assert.equal(sample.id, 'SAMPLE1');
  assert.equal(sample.assembly, 'hg38');
  assert.ok(sample.bai && !('bamIndex' in sample), 'the BAM index is under "bai"');
  assert.ok(sample.vcfIndex, 'the VCF index is under "vcfIndex"');
  for (const key of ['sv', 'cnv', 'bam', 'bai', 'vcf', 'vcfIndex']) {
    assert.ok(sample[key].startsWith(sim.info.s3_endpoint), `${key} is a signed link`);
  }

  // The data links, as igv.js inside Chromoscope reads them: ranges.
  const since = sim.s3Log.length;
  const bam = await fetchFromPage(page, sample.bam, { Range: 'bytes=0-99' });
  assert.equal(bam.error, undefined, bam.error);
  assert.equal(bam.status, 206);
  assert.equal(bam.length, 100);
  assert.match(bam.contentRange, /^bytes 0-99\/\d+$/);
  for (const key of ['bai', 'sv', 'cnv', 'vcfIndex']) {
    const r = await fetchFromPage(page, sample[key]);
    assert.equal(r.error, undefined, `${key}: ${r.error}`);
    assert.equal(r.status, 200, key);
  }
  const reads = sim.s3Log.slice(since).filter((e) => e.method === 'GET');
  assert.ok(reads.every((e) => e.auth === 'query' && !e.error), JSON.stringify(reads.map((e) => [e.key, e.status, e.error])));
  await page.close();
});

test('chromoscope: cohort manifest and folder layout, written locally', { timeout: scaled(120000) }, async () => {
  const d = sim.info.demo;
  const manifest = join(work, 'cohort.tsv');
  writeFileSync(manifest, [
    'id\tcancer\tassembly\tsv\tcnv\tbam\tvcf\tnote',
    `SAMPLE1\tbreast\thg19\t${s3(d.bedpe)}\t${s3(d.cnv)}\t${s3(d.bam)}\t${s3(d.vcf)}\tfirst`,
    '',
  ].join('\n'));
  const fromManifest = await genokey(['chromoscope', '--profile', 'env', '--no-upload', '--output', 'm.json',
    '--manifest', manifest], await envFor());
  assert.equal(fromManifest.code, 0, fromManifest.stderr);
  const m = JSON.parse(readFileSync(join(work, 'm.json'), 'utf8'));
  assert.ok(Array.isArray(m), 'without --name the config is an array of samples');
  assert.equal(m[0].cancer, 'breast');
  assert.equal(m[0].assembly, 'hg19');
  assert.equal(m[0].note, 'first');
  assert.ok(m[0].bai.includes('SAMPLE1.bam.bai'));

  const folder = await genokey(['chromoscope', '--profile', 'env', '--no-upload', '--output', 'f.json',
    '--name', 'cohort1', `s3://${d.bucket}/cohort1/`], await envFor());
  assert.equal(folder.code, 0, folder.stderr);
  const f = JSON.parse(readFileSync(join(work, 'f.json'), 'utf8'));
  assert.equal(f.samples.length, 1);
  assert.equal(f.samples[0].id, 'SAMPLE1');
  assert.ok(f.samples[0].sv.includes('SAMPLE1.sv.bedpe'));
  assert.ok(f.samples[0].cnv.includes('SAMPLE1.cnv.tsv'));

  const badManifest = join(work, 'bad.tsv');
  writeFileSync(badManifest, `id\tcancer\tassembly\tbam\nS2\tbreast\tGRCh38\t${s3('x/S2.cram')}\n`);
  const bad = await genokey(['chromoscope', '--profile', 'env', '--no-upload', '--manifest', badManifest], await envFor());
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /line 2: /);
});

test('igv.js opens the igv-web session and reads the BAM with its index', { timeout: scaled(200000) }, async () => {
  sim.setBucketCors(sim.info.demo.bucket, CORS_FOR_BROWSERS);
  const d = sim.info.demo;
  const r = await genokey(['igv-web', '--profile', 'env', '--no-open', '--genome', s3(d.fasta),
    '--locus', 'chr1:1000-3000', s3(d.bam)], await envFor());
  assert.equal(r.code, 0, r.stderr);
  const url = r.stdout.trim();
  const prefix = 'https://igv.org/app/?sessionURL=blob:';
  assert.ok(url.startsWith(prefix));
  assert.doesNotMatch(r.stderr, /X-Amz-Signature/);
  assert.doesNotMatch(r.stderr, /CORS/, 'the bucket allows igv.org: no warning');

  const since = sim.s3Log.length;
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(siteUrl);
  await page.addScriptTag({ url: '/igv.min.js' });
  // igv.js decodes the blob itself (Browser.uncompressSession).
  const result = await page.evaluate(async (sessionURL) => {
    const b = await igv.createBrowser(document.getElementById('igv'), { sessionURL });
    const tracks = b.findTracks((t) => t.type === 'alignment');
    return { genome: b.genome.id, locus: b.currentLoci(), alignments: tracks.length, names: tracks.map((t) => t.name) };
  }, 'blob:' + url.slice(prefix.length));
  assert.equal(result.alignments, 1, JSON.stringify(result));
  assert.deepEqual(result.names, ['SAMPLE1.bam']);

  // igv.js fetched the BAM in ranges and the index, through accepted links.
  const start = Date.now();
  let bam = [], bai = [];
  while (Date.now() - start < 30000) {
    const log = sim.s3Log.slice(since);
    bam = log.filter((e) => e.key === d.bam && e.method === 'GET' && e.status === 206);
    bai = log.filter((e) => e.key === d.bai && e.method === 'GET' && (e.status === 200 || e.status === 206));
    if (bam.length && bai.length) break;
    await new Promise((res) => setTimeout(res, 250));
  }
  assert.ok(bam.length > 0, 'igv.js read the BAM with range requests');
  assert.ok(bai.length > 0, 'igv.js read the index');
  assert.ok([...bam, ...bai].every((e) => e.auth === 'query' && !e.error));
  assert.deepEqual(errors, []);
  await page.close();
});

// igv.js decodes a blob: session one byte per character, so a name in
// UTF-8 came out as "Probe Ã©.bam". Genokey writes the JSON as ASCII.
test('igv.js shows a non-ASCII track name as it is', { timeout: scaled(200000) }, async () => {
  sim.setBucketCors(sim.info.demo.bucket, CORS_FOR_BROWSERS);
  const d = sim.info.demo;
  const key = 'cohort1/Probe é/Probe é 検体.bam';
  sim.putObject(d.bucket, key, readFileSync(join(d.local_dir, 'SAMPLE1.bam')));
  sim.putObject(d.bucket, `${key}.bai`, readFileSync(join(d.local_dir, 'SAMPLE1.bam.bai')));
  const r = await genokey(['igv-web', '--profile', 'env', '--no-open', '--genome', s3(d.fasta),
    '--locus', 'chr1:1000-3000', s3(key)], await envFor());
  assert.equal(r.code, 0, r.stderr);
  const prefix = 'https://igv.org/app/?sessionURL=blob:';
  const url = r.stdout.trim();

  const page = await browser.context.newPage();
  await page.goto(siteUrl);
  await page.addScriptTag({ url: '/igv.min.js' });
  const names = await page.evaluate(async (sessionURL) => {
    const b = await igv.createBrowser(document.getElementById('igv'), { sessionURL });
    return b.findTracks((t) => t.type === 'alignment').map((t) => t.name);
  }, 'blob:' + url.slice(prefix.length));
  assert.deepEqual(names, ['Probe é 検体.bam']);
  await page.close();
});

test('igv-web refuses BCF, which igv.js cannot read', { timeout: scaled(60000) }, async () => {
  const r = await genokey(['igv-web', '--profile', 'env', '--no-open', s3('cohort1/SAMPLE1/calls.bcf')], await envFor());
  assert.equal(r.code, 1);
  assert.match(r.stderr, /BCF, which IGV-Web cannot read/);
  assert.equal(r.stdout, '');
});

// Chromoscope's documentation configures buckets with headers allowed and
// nothing exposed. Its readers (gosling's RemoteFile: fetch, mode 'cors', a
// lowercase range header) read only the body; Content-Range is read only
// to learn the size in passing. So such a bucket works, and Genokey must
// not warn about it.
const CHROMOSCOPE_DOCUMENTED_CORS = [{
  AllowedHeaders: ['*'],
  AllowedMethods: ['GET'],
  AllowedOrigins: ['*'],
  ExposeHeaders: [],
}];

// What gosling's RemoteFile.read does for one range.
async function goslingRead (page, url, position, length) {
  return page.evaluate(async ({ url, position, length }) => {
    try {
      const r = await fetch(url, { method: 'GET', redirect: 'follow', mode: 'cors',
        headers: { range: `bytes=${position}-${position + length}` } });
      const body = new Uint8Array(await r.arrayBuffer());
      return { status: r.status, bytes: Array.from(body), contentRange: r.headers.get('content-range'),
        contentLength: r.headers.get('content-length') };
    } catch (e) {
      return { error: String(e) };
    }
  }, { url, position, length });
}

test('chromoscope: a bucket configured as Chromoscope documents gets no warning, and its readers work', { timeout: scaled(120000) }, async () => {
  const d = sim.info.demo;
  sim.setBucketCors(d.bucket, CHROMOSCOPE_DOCUMENTED_CORS);
  const { link, stderr } = await chromoscope();
  assert.doesNotMatch(stderr, /CORS/, 'no CORS warning for the documented configuration');

  const page = await browser.context.newPage();
  await page.goto(siteUrl);
  const config = await fetchFromPage(page, link);
  assert.equal(config.status, 200, config.error);
  const [sample] = JSON.parse(config.text).samples;

  // A ranged read of the BAM gives exactly its bytes, though the browser
  // hides Content-Range (not exposed): the reader does not need it.
  const bam = readFileSync(join(d.local_dir, 'SAMPLE1.bam'));
  const r = await goslingRead(page, sample.bam, 100, 199);
  assert.equal(r.error, undefined, r.error);
  assert.equal(r.status, 206);
  assert.deepEqual(r.bytes, Array.from(bam.subarray(100, 300)));
  assert.equal(r.contentRange, null, 'Content-Range is not exposed, as documented');
  assert.equal(Number(r.contentLength), 200, 'Content-Length is readable without exposing it');
  // Indexes and tables are read whole.
  for (const key of ['bai', 'vcfIndex', 'sv', 'cnv']) {
    const whole = await fetchFromPage(page, sample[key]);
    assert.equal(whole.status, 200, `${key}: ${whole.error}`);
  }
  await page.close();
});

// Chromium (156 here) counts one "range: bytes=N-M" header as CORS-safelisted
// and sends no preflight for it, so even a rule without AllowedHeaders lets
// the reader through. Browsers that still preflight Range need it allowed,
// so Genokey keeps asking for it (the documented rule allows every header).
test('chromoscope: Chromium reads a single range without a preflight; Genokey still asks to allow Range', { timeout: scaled(120000) }, async () => {
  const d = sim.info.demo;
  sim.setBucketCors(d.bucket, [{ AllowedMethods: ['GET'], AllowedOrigins: ['*'] }]);
  const { link, stderr } = await chromoscope();
  assert.match(stderr, /does not allow the Range header, which Chromoscope sends/);

  const page = await browser.context.newPage();
  await page.goto(siteUrl);
  const config = await fetchFromPage(page, link);
  const [sample] = JSON.parse(config.text).samples;
  const since = sim.s3Log.length;
  const r = await goslingRead(page, sample.bam, 0, 99);
  assert.equal(r.status, 206, r.error);
  assert.deepEqual(sim.s3Log.slice(since).map((e) => e.method), ['GET'], 'no preflight was sent');
  await page.close();
});

// Chromoscope reads a drivers file as JSON only when
// url.split('.').pop() === 'json'.
test('chromoscope: a JSON drivers file arrives as JSON', { timeout: scaled(120000) }, async () => {
  const d = sim.info.demo;
  sim.setBucketCors(d.bucket, CHROMOSCOPE_DOCUMENTED_CORS);
  const drivers = 'cohort1/SAMPLE1/SAMPLE1.drivers.json';
  sim.putObject(d.bucket, drivers, Buffer.from(JSON.stringify([{ chr: 'chr1', pos: 1500, gene: 'ABC1' }])));
  const r = await genokey(['chromoscope', '--profile', 'env', '--no-upload', '--output', 'drivers.json',
    s3(d.bedpe), s3(drivers)], await envFor());
  assert.equal(r.code, 0, r.stderr);
  const [sample] = JSON.parse(readFileSync(join(work, 'drivers.json'), 'utf8'));
  const page = await browser.context.newPage();
  await page.goto(siteUrl);
  const got = await page.evaluate(async (url) => {
    const isJson = url.split('.').pop() === 'json';
    const body = await (await fetch(url)).text();
    return { isJson, body };
  }, sample.drivers);
  assert.equal(got.isJson, true, 'the link ends in .json');
  assert.deepEqual(JSON.parse(got.body), [{ chr: 'chr1', pos: 1500, gene: 'ABC1' }]);
  await page.close();
});

test('chromoscope: a BAM with only a CSI index, a .bedpe.gz and a sample without sv are refused', { timeout: scaled(120000) }, async () => {
  const d = sim.info.demo;
  sim.putObject(d.bucket, 'csi/S9/S9.bam', readFileSync(join(d.local_dir, 'SAMPLE1.bam')));
  sim.putObject(d.bucket, 'csi/S9/S9.bam.csi', Buffer.from('CSI\x01'));
  sim.putObject(d.bucket, 'csi/S9/S9.sv.bedpe', readFileSync(join(d.local_dir, 'SAMPLE1.sv.bedpe')));
  const csi = await genokey(['chromoscope', '--profile', 'env', '--no-upload', s3('csi/S9/S9.sv.bedpe'),
    s3('csi/S9/S9.bam')], await envFor());
  assert.equal(csi.code, 1);
  assert.match(csi.stderr, /S9\.bam\.csi.*CSI.*BAI/s);

  const gz = await genokey(['chromoscope', '--profile', 'env', '--no-upload', s3('csi/S9/S9.sv.bedpe.gz')], await envFor());
  assert.equal(gz.code, 1);
  assert.match(gz.stderr, /gzip-compressed/);

  const noSv = await genokey(['chromoscope', '--profile', 'env', '--no-upload', s3(d.bam)], await envFor());
  assert.equal(noSv.code, 1);
  assert.match(noSv.stderr, /no structural variants/);
});

test('chromoscope: a .vcf.bgz gets its tabix index', { timeout: scaled(120000) }, async () => {
  const d = sim.info.demo;
  sim.putObject(d.bucket, 'bgz/S8/S8.vcf.bgz', readFileSync(join(d.local_dir, 'SAMPLE1.vcf.gz')));
  sim.putObject(d.bucket, 'bgz/S8/S8.vcf.bgz.tbi', readFileSync(join(d.local_dir, 'SAMPLE1.vcf.gz.tbi')));
  const r = await genokey(['chromoscope', '--profile', 'env', '--no-upload', '--output', 'bgz.json',
    s3(d.bedpe), s3('bgz/S8/S8.vcf.bgz')], await envFor());
  assert.equal(r.code, 0, r.stderr);
  const [sample] = JSON.parse(readFileSync(join(work, 'bgz.json'), 'utf8'));
  assert.ok(sample.vcfIndex && sample.vcfIndex.includes('S8.vcf.bgz.tbi'), JSON.stringify(Object.keys(sample)));
});
