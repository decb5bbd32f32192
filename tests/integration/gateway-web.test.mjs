// Web viewers reading through the gateway, in headless Chromium: pages of
// the allow-listed origins (https://igv.org, https://chromoscope.bio) are
// served to the browser by Playwright's request routing, so the origin is
// the real one while nothing leaves this machine, and the user's yes to
// Chrome's Local Network Access prompt is given as a granted permission. igv.js loads the BAM and
// BAI from `genokey igv-web`'s session; a gosling-style reader (fetch with
// mode 'cors' and a lowercase range header) gets exactly the asked bytes,
// from links in a Chromoscope config the gateway serves itself; a page of
// another origin cannot read the bytes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { genokey, setUp, signIn } from './lib/genokey-cli.mjs';
import { installService, waitFor } from './lib/gateway.mjs';
import { launchChromium } from './lib/chromium.mjs';
import { scaled } from './lib/timeouts.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const IGV_JS = join(HERE, '..', 'node_modules', 'igv', 'dist', 'igv.min.js');
const PAGE = '<!doctype html><meta charset="utf-8"><title>viewer</title><div id="igv"></div>';

let sim;
let browser;
const cleanUp = [];

before(async () => {
  sim = await setUp({ after: (fn) => cleanUp.push(fn) }, 'lab', { sim: { demo: true } });
  // The bucket allows no browser at all: whatever a page reads, it reads
  // through the gateway.
  sim.setBucketCors(sim.info.demo.bucket, null);
  await signIn(sim, 'lab');
  await installService();
  browser = await launchChromium();
  // Chrome asks the user once before an https page reaches this computer
  // (Local Network Access); the user says yes, for every site here, so what
  // keeps the other origin out below is the gateway, not the prompt.
  for (const origin of ['https://igv.org', 'https://chromoscope.bio', 'https://evil.example']) {
    await browser.context.grantPermissions(['local-network-access'], { origin });
  }
  // Any https origin a test opens is served here, by the browser's own
  // request routing: the page's origin is real, the network is not used.
  await browser.context.route(/^https:\/\//, (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/igv.min.js') {
      return route.fulfill({ status: 200, contentType: 'text/javascript', body: readFileSync(IGV_JS) });
    }
    return route.fulfill({ status: 200, contentType: 'text/html', body: PAGE });
  });
});

after(async () => {
  await browser?.close();
  await genokey(['gateway', 'stop']);
  for (const fn of cleanUp) await fn();
});

const s3 = (key) => `s3://${sim.info.demo.bucket}/${key}`;
const local = (name) => readFileSync(join(sim.info.demo.local_dir, name));

async function pageAt (origin) {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${origin}/viewer.html`);
  return { page, errors };
}

// gosling's RemoteFile: fetch, mode 'cors', a lowercase range header.
function goslingRead (page, url, start, end) {
  return page.evaluate(async ({ url, start, end }) => {
    try {
      const r = await fetch(url, { mode: 'cors', headers: { range: `bytes=${start}-${end}` } });
      const bytes = new Uint8Array(await r.arrayBuffer());
      return { status: r.status, contentRange: r.headers.get('content-range'), bytes: Array.from(bytes) };
    } catch (e) {
      return { error: String(e) };
    }
  }, { url, start, end });
}

test('igv.js on https://igv.org loads the BAM and BAI through gateway links', { timeout: scaled(240_000) }, async () => {
  const d = sim.info.demo;
  const r = await genokey(['igv-web', '--profile', 'lab', '--no-open', '--genome', s3(d.fasta),
    '--locus', 'chr1:1000-3000', s3(d.bam)], { timeout: 240_000 });
  assert.equal(r.status, 0, r.stderr);
  const prefix = 'https://igv.org/app/?sessionURL=blob:';
  const url = r.stdout.trim();
  assert.ok(url.startsWith(prefix));
  assert.doesNotMatch(r.stderr, /CORS/, 'no bucket CORS to check: the gateway answers igv.org');
  assert.match(r.stderr, /Local Network Access/);

  const since = sim.s3Log.length;
  const { page, errors } = await pageAt('https://igv.org');
  await page.addScriptTag({ url: '/igv.min.js' });
  const result = await page.evaluate(async (sessionURL) => {
    const b = await igv.createBrowser(document.getElementById('igv'), { sessionURL });
    const tracks = b.findTracks((t) => t.type === 'alignment');
    return { alignments: tracks.length, url: tracks[0]?.config.url };
  }, 'blob:' + url.slice(prefix.length));
  assert.equal(result.alignments, 1, JSON.stringify(result));
  assert.match(result.url, /^http:\/\/127\.0\.0\.1:\d+\//, 'the track reads through the gateway');

  const reads = await waitFor('igv.js to read the BAM in ranges and the BAI', () => {
    const log = sim.s3Log.slice(since);
    const bam = log.filter((e) => e.key === d.bam && e.method === 'GET' && e.status === 206);
    const bai = log.filter((e) => e.key === d.bai && e.method === 'GET' && (e.status === 200 || e.status === 206));
    return bam.length && bai.length ? [...bam, ...bai] : null;
  });
  assert.ok(reads.every((e) => e.auth === 'header' && !e.error), JSON.stringify(reads.map((e) => [e.key, e.auth, e.error])));
  assert.deepEqual(errors, []);
  await page.close();
});

test('a Chromoscope config served by the gateway, read gosling-style from https://chromoscope.bio', { timeout: scaled(240_000) }, async () => {
  const d = sim.info.demo;
  const uploadsBefore = sim.s3Log.filter((e) => e.method === 'PUT').length;
  const r = await genokey(['chromoscope', '--profile', 'lab', '--no-open', '--name', 'Demo cohort',
    s3(d.bam), s3(d.bedpe), s3(d.cnv), s3(d.vcf)], { timeout: 240_000 });
  assert.equal(r.status, 0, r.stderr);
  const prefix = 'https://chromoscope.bio/app/?external=';
  const url = r.stdout.trim();
  assert.ok(url.startsWith(prefix));
  const config = url.slice(prefix.length);
  assert.match(config, /^http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]{32}\/config\/chromoscope-Demo-cohort-[^/]+\.json$/);
  assert.equal(sim.s3Log.filter((e) => e.method === 'PUT').length, uploadsBefore, 'nothing uploaded');
  assert.doesNotMatch(r.stderr, /Uploaded/);

  const { page } = await pageAt('https://chromoscope.bio');
  const got = await page.evaluate(async (u) => {
    const res = await fetch(u, { mode: 'cors' });
    return { status: res.status, text: await res.text() };
  }, config);
  assert.equal(got.status, 200);
  const cohort = JSON.parse(got.text);
  const [sample] = cohort.samples;
  for (const key of ['sv', 'cnv', 'bam', 'bai', 'vcf', 'vcfIndex']) {
    assert.match(sample[key], /^http:\/\/127\.0\.0\.1:\d+\//, `${key} is a gateway link`);
  }

  // Exactly the bytes asked for, at the start, in the middle and at the end.
  const bam = local('SAMPLE1.bam');
  const middle = Math.floor(bam.length / 3);
  for (const [start, end] of [[0, 99], [middle, middle + 1000], [bam.length - 17, bam.length + 100]]) {
    const part = await goslingRead(page, sample.bam, start, end);
    assert.equal(part.error, undefined, part.error);
    assert.equal(part.status, 206);
    assert.equal(part.contentRange, `bytes ${start}-${Math.min(end, bam.length - 1)}/${bam.length}`);
    assert.deepEqual(Buffer.from(part.bytes), bam.subarray(start, Math.min(end, bam.length - 1) + 1));
  }
  // Whole-file reads (indexes, tables) get 200.
  const whole = await page.evaluate(async (u) => (await fetch(u, { mode: 'cors' })).status, sample.cnv);
  assert.equal(whole, 200);
  await page.close();
});

test('a page from an origin that is not allow-listed cannot read the bytes', { timeout: scaled(120_000) }, async () => {
  const d = sim.info.demo;
  const r = await genokey(['link', '--profile', 'lab', '--json', s3(d.bam)]);
  assert.equal(r.status, 0, r.stderr);
  const { url } = JSON.parse(r.stdout);
  const since = sim.s3Log.length;
  const { page } = await pageAt('https://evil.example');
  const refused = await goslingRead(page, url, 0, 99);
  assert.ok(refused.error, `the browser must not hand the bytes over (got HTTP ${refused.status})`);
  const plain = await page.evaluate(async (u) => {
    try { await (await fetch(u)).arrayBuffer(); return 'read'; } catch (e) { return String(e); }
  }, url);
  assert.notEqual(plain, 'read');
  // Refused at the gateway: S3 was never asked.
  assert.equal(sim.s3Log.slice(since).filter((e) => e.key === d.bam).length, 0);

  // The same link from an allow-listed page works.
  const { page: good } = await pageAt('https://igv.org');
  const ok = await goslingRead(good, url, 0, 99);
  assert.equal(ok.status, 206, ok.error);
  await page.close();
  await good.close();
});
