// `genokey igv` with real IGV desktop (Debian's igv 2.16) under Xvfb, against
// the local AWS stand-in: (a) a running IGV is sent the demo BAM and its
// index over its batch port; (b) with no IGV running, genokey starts IGV with
// a session file. In both, the stand-in's S3 log must show IGV reading the
// BAM (206 range GETs) and the index through links whose signatures were
// accepted, and an IGV snapshot must show reads.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync, mkdirSync, existsSync, readdirSync, statSync, copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startStandIn } from '../aws-sim/index.mjs';
import { scaled } from './lib/timeouts.mjs';
import {
  freePort, makeIgvHome, startIgv, waitForIgv, igvCommands, stopIgv, removeHome,
  writeIgvLauncher, decodePng, countReadPixels, igvRssMiB,
} from './lib/igv.mjs';

const GENOKEY = process.env.GENOKEY;
const ARTIFACTS = join(process.env.GK_BUILD_ROOT || '/tmp', 'test-artifacts', 'igv');
const LOCUS = 'chr1:1000-3000';

let sim;

before(async () => {
  sim = await startStandIn({});
  mkdirSync(ARTIFACTS, { recursive: true });
});

after(async () => {
  await sim?.stop();
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
    const child = spawn(GENOKEY, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function assertNoSecrets (text) {
  assert.doesNotMatch(text, /X-Amz-Signature|X-Amz-Security-Token|X-Amz-Credential/);
}

// Every read of the BAM and its index by IGV, after @since in the log.
function igvReads (since) {
  const d = sim.info.demo;
  const log = sim.s3Log.slice(since);
  const bam = log.filter((e) => e.key === d.bam && e.method === 'GET');
  const bai = log.filter((e) => e.key === d.bai && e.method === 'GET');
  return { bam, bai };
}

async function waitForReads (since, timeout = 30000) {
  const start = Date.now();
  for (;;) {
    const { bam, bai } = igvReads(since);
    // genokey's own check reads one byte of each (Range: bytes=0-0); IGV's
    // reads come after and ask for more.
    const igvBam = bam.filter((e) => e.range !== 'bytes=0-0');
    const igvBai = bai.filter((e) => e.range !== 'bytes=0-0');
    if (igvBam.some((e) => e.status === 206) && igvBai.some((e) => e.status === 200 || e.status === 206)) {
      return { bam, bai, igvBam, igvBai };
    }
    if (Date.now() - start > timeout) {
      assert.fail(`IGV did not read the BAM and its index: ${JSON.stringify(sim.s3Log.slice(since).map((e) => [e.method, e.key, e.status, e.range, e.error]))}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

function assertAcceptedSignatures (entries) {
  for (const e of entries) {
    assert.equal(e.auth, 'query', `${e.key} read without a presigned link`);
    assert.ok([200, 206, 416].includes(e.status), `${e.key}: HTTP ${e.status} ${e.error}`);
    if (e.status !== 416) assert.equal(e.error ?? null, null);
    assert.notEqual(e.error, 'SignatureDoesNotMatch');
  }
}

async function snapshotShowsReads (port, home, name) {
  // The track loads in the background after `load` answers: poll until the
  // reads are drawn, for as long as a loaded machine may need (IGV is Java,
  // and shares the two cores with the other tests), not a number of tries.
  // A snapshot taken while IGV still sets up its view (started without a
  // genome, it loads its default one first) answers without writing the
  // file: that is "not drawn yet" too.
  const file = `${name}.png`;
  const end = Date.now() + scaled(120_000);
  let reads = 0;
  let replies = [];
  while (Date.now() < end) {
    replies = await igvCommands(port, [`snapshotDirectory ${home}`, `goto ${LOCUS}`, `snapshot ${file}`], { timeout: 30000 });
    if (existsSync(join(home, file))) {
      reads = countReadPixels(decodePng(readFileSync(join(home, file))));
      if (reads > 8000) break;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  assert.ok(existsSync(join(home, file)), `IGV wrote no snapshot ${file} (its last replies: ${JSON.stringify(replies)})`);
  copyFileSync(join(home, file), join(ARTIFACTS, file));
  return reads;
}

test('genokey sends the demo BAM and VCF, with their indexes, to a running IGV', { timeout: scaled(240000) }, async (t) => {
  const port = await freePort();
  const genome = join(sim.info.demo.local_dir, 'ref.fa');
  const igv = makeIgvHome({ port, genomePath: genome });
  t.after(async () => { await stopIgv({ port, home: igv.home }); removeHome(igv.home); });

  startIgv(igv);
  const startup = await waitForIgv(port);
  t.diagnostic(`IGV start-up to first echo reply: ${startup} ms; RSS ${igvRssMiB(igv.home)} MiB`);

  // Before: the genome alone, no reads.
  await igvCommands(port, [`snapshotDirectory ${igv.home}`, `goto ${LOCUS}`, 'snapshot empty.png']);
  const empty = countReadPixels(decodePng(readFileSync(join(igv.home, 'empty.png'))));

  const since = sim.s3Log.length;
  const d = sim.info.demo;
  // Several files in one go: the BAM and the VCF, each with its index.
  const r = await genokey(['igv', '--profile', 'env', '--port', String(port), '--genome', genome,
    '--locus', LOCUS, `s3://${d.bucket}/${d.bam}`, `s3://${d.bucket}/${d.vcf}`], await envFor());
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /Sent 2 tracks to IGV/);
  assertNoSecrets(r.stderr + r.stdout);

  const { bam, bai, igvBam } = await waitForReads(since);
  assertAcceptedSignatures([...bam, ...bai]);
  assert.ok(igvBam.some((e) => e.status === 206 && e.range), 'IGV read the BAM with range requests');

  // IGV read the VCF's index and the VCF through their signed links too.
  const vcfReads = sim.s3Log.slice(since).filter((e) => (e.key === d.vcf || e.key === d.tbi) &&
    e.method === 'GET' && e.range !== 'bytes=0-0');
  assert.ok(vcfReads.some((e) => e.key === d.tbi), 'IGV read the .tbi');
  assertAcceptedSignatures(vcfReads);

  const reads = await snapshotShowsReads(port, igv.home, 'running-igv');
  t.diagnostic(`read pixels: before ${empty}, after ${reads}; RSS after load ${igvRssMiB(igv.home)} MiB`);
  assert.ok(reads > empty + 5000, `the snapshot shows reads (${reads} read pixels, ${empty} before)`);
});

test('genokey starts IGV with a session when none is running', { timeout: scaled(240000) }, async (t) => {
  const port = await freePort();
  const genome = join(sim.info.demo.local_dir, 'ref.fa');
  const igv = makeIgvHome({ port, genomePath: genome });
  const launcher = writeIgvLauncher(igv.home);
  t.after(async () => { await stopIgv({ port, home: igv.home }); removeHome(igv.home); });

  const since = sim.s3Log.length;
  const d = sim.info.demo;
  const env = { ...(await envFor()), JAVA_TOOL_OPTIONS: igv.env.JAVA_TOOL_OPTIONS, XDG_CACHE_HOME: join(igv.home, 'cache') };
  const started = Date.now();
  // The lab's own reference, from the bucket: IGV gets it as a JSON genome
  // holding the FASTA and .fai links.
  const r = await genokey(['igv', '--profile', 'env', '--port', String(port),
    '--genome', `s3://${d.bucket}/${d.fasta}`,
    '--locus', LOCUS, '--igv-command', launcher, `s3://${d.bucket}/${d.bam}`], env);
  t.diagnostic(`genokey igv (launch until IGV answered): ${Date.now() - started} ms`);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /starting it with the session/);
  assert.match(r.stderr, /Started IGV with 1 track/);
  assertNoSecrets(r.stderr + r.stdout);

  // The session file: private, in a private folder, links escaped.
  const dir = join(igv.home, 'cache', 'genokey', 'igv-sessions');
  const [session] = readdirSync(dir).filter((f) => f.endsWith('.xml'));
  assert.ok(session, 'a session file was written');
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  assert.equal(statSync(join(dir, session)).mode & 0o777, 0o600);
  const xml = readFileSync(join(dir, session), 'utf8');
  assert.match(xml, /<Session genome="[^"]+genokey-genome-[^"]+\.json" locus="chr1:1000-3000" version="8">/);
  const [genomeFile] = readdirSync(dir).filter((f) => f.startsWith('genokey-genome-'));
  assert.equal(statSync(join(dir, genomeFile)).mode & 0o777, 0o600);
  const genomeJson = JSON.parse(readFileSync(join(dir, genomeFile), 'utf8'));
  assert.ok(genomeJson.fastaURL.includes('ref.fa?') && genomeJson.indexURL.includes('ref.fa.fai?'));
  assert.match(xml, /index="[^"]+SAMPLE1\.bam\.bai\?[^"]*&amp;/);
  assert.doesNotMatch(xml.replace(/&amp;|&quot;|&lt;|&gt;|&apos;/g, ''), /&/);

  const { bam, bai, igvBam } = await waitForReads(since, 60000);
  assertAcceptedSignatures([...bam, ...bai]);
  assert.ok(igvBam.some((e) => e.status === 206 && e.range), 'IGV read the BAM with range requests');

  // IGV read the reference through its signed links as well.
  const fastaReads = sim.s3Log.slice(since).filter((e) => (e.key === d.fasta || e.key === d.fai) &&
    e.method === 'GET' && e.range !== 'bytes=0-0');
  assert.ok(fastaReads.some((e) => e.key === d.fai), 'IGV read the .fai');
  assertAcceptedSignatures(fastaReads);

  const reads = await snapshotShowsReads(port, igv.home, 'launched-igv');
  t.diagnostic(`read pixels after launch: ${reads}; RSS ${igvRssMiB(igv.home)} MiB`);
  assert.ok(reads > 8000, `the snapshot shows reads (${reads} read pixels)`);
});

test('genokey refuses a file without an index and never starts IGV for it', { timeout: scaled(60000) }, async () => {
  const port = await freePort();
  const d = sim.info.demo;
  await sim.putObject(d.bucket, 'noindex/lonely.bam', readFileSync(join(d.local_dir, 'SAMPLE1.bam')));
  const r = await genokey(['igv', '--profile', 'env', '--port', String(port), '--igv-command', '/bin/false',
    `s3://${d.bucket}/noindex/lonely.bam`], await envFor());
  assert.equal(r.code, 1);
  assert.match(r.stderr, /index/i);
  assert.doesNotMatch(r.stderr, /starting it/);
  assertNoSecrets(r.stderr + r.stdout);
});

// Keys as labs name them: a space, parentheses, '+', '#', a comma and a
// non-ASCII letter. Unquoted, IGV's port URL-decodes a link ('+' becomes a
// space, %23 a '#') and splits it on the comma, so S3 would be asked for
// other keys (or IGV would refuse the line) while IGV still answers OK.
const ODD = 'run 1 (2024)/S+1#é,x.bam';

function putOddKeys () {
  const d = sim.info.demo;
  sim.putObject(d.bucket, ODD, readFileSync(join(d.local_dir, 'SAMPLE1.bam')));
  sim.putObject(d.bucket, `${ODD}.bai`, readFileSync(join(d.local_dir, 'SAMPLE1.bam.bai')));
}

// IGV's reads of the odd BAM and its index, by their exact keys. IGV also
// probes for a coverage file by appending ".tdf" to the link's path, which
// no signature covers; that probe is not a read of ours.
async function waitForOddReads (since, home, timeout = 60000) {
  const start = Date.now();
  for (;;) {
    const log = sim.s3Log.slice(since).filter((e) => e.method === 'GET' && e.range !== 'bytes=0-0');
    const bam = log.filter((e) => e.key === ODD);
    const bai = log.filter((e) => e.key === `${ODD}.bai`);
    if (bam.some((e) => e.status === 206) && bai.some((e) => e.status === 200 || e.status === 206)) {
      return { bam, bai, all: sim.s3Log.slice(since) };
    }
    if (Date.now() - start > timeout) {
      let igvLog = '';
      try { igvLog = readFileSync(join(home, 'igv-stdout.log'), 'utf8').split('\n').slice(-30).join('\n'); } catch {}
      assert.fail(`IGV did not read s3 keys "${ODD}" and its .bai: ${JSON.stringify(sim.s3Log.slice(since).map((e) => [e.method, e.key, e.status, e.range, e.error]))}\nIGV's log:\n${igvLog}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

function assertOnlyExactKeys (entries) {
  for (const e of entries) {
    // A listing (no key) is genokey pairing the index, not IGV.
    if (e.key === null || e.key.endsWith('.tdf')) continue;
    assert.ok([ODD, `${ODD}.bai`].includes(e.key) || !e.key.includes('S'), `IGV asked S3 for another key: ${JSON.stringify(e.key)}`);
    assert.notEqual(e.error, 'SignatureDoesNotMatch', `${e.key}: the link's signature broke on the way`);
  }
}

test('IGV reads a BAM and BAI under odd keys sent over its port, and a genome from a cache path with a space', { timeout: scaled(240000) }, async (t) => {
  putOddKeys();
  const port = await freePort();
  const d = sim.info.demo;
  const igv = makeIgvHome({ port, genomePath: join(d.local_dir, 'ref.fa') });
  t.after(async () => { await stopIgv({ port, home: igv.home }); removeHome(igv.home); });
  startIgv(igv);
  await waitForIgv(port);

  const since = sim.s3Log.length;
  // The genome file genokey writes for a FASTA in S3 goes under the cache
  // folder: here one with a space, sent as `genome "…"`.
  const env = { ...(await envFor()), XDG_CACHE_HOME: join(igv.home, 'my cache') };
  const r = await genokey(['igv', '--profile', 'env', '--port', String(port),
    '--genome', `s3://${d.bucket}/${d.fasta}`, '--locus', LOCUS, `s3://${d.bucket}/${ODD}`], env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /Sent 1 track to IGV/);
  assertNoSecrets(r.stderr + r.stdout);

  const { bam, bai, all } = await waitForOddReads(since, igv.home);
  assertAcceptedSignatures([...bam, ...bai]);
  assertOnlyExactKeys(all.filter((e) => e.key !== d.fasta && e.key !== d.fai));
  // IGV switched to the genome file under "my cache": it read the FASTA.
  assert.ok(all.some((e) => e.key === d.fai && e.method === 'GET' && e.range !== 'bytes=0-0'),
    'IGV read the genome file written under a cache path with a space');
  const reads = await snapshotShowsReads(port, igv.home, 'odd-keys-port');
  assert.ok(reads > 8000, `the snapshot shows reads (${reads} read pixels)`);
});

test('IGV started with a session reads a BAM and BAI under odd keys', { timeout: scaled(240000) }, async (t) => {
  putOddKeys();
  const port = await freePort();
  const d = sim.info.demo;
  const igv = makeIgvHome({ port, genomePath: join(d.local_dir, 'ref.fa') });
  const launcher = writeIgvLauncher(igv.home);
  t.after(async () => { await stopIgv({ port, home: igv.home }); removeHome(igv.home); });

  const since = sim.s3Log.length;
  const env = { ...(await envFor()), JAVA_TOOL_OPTIONS: igv.env.JAVA_TOOL_OPTIONS, XDG_CACHE_HOME: join(igv.home, 'cache') };
  const r = await genokey(['igv', '--profile', 'env', '--port', String(port), '--locus', LOCUS,
    '--genome', join(d.local_dir, 'ref.fa'), '--igv-command', launcher, `s3://${d.bucket}/${ODD}`], env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /Started IGV with 1 track/);

  const dir = join(igv.home, 'cache', 'genokey', 'igv-sessions');
  const [session] = readdirSync(dir).filter((f) => f.endsWith('.xml'));
  const xml = readFileSync(join(dir, session), 'utf8');
  // IGV takes a resource's format from "type".
  assert.match(xml, /<Resource [^>]*type="bam"/);
  assert.doesNotMatch(xml, /format=/);

  const { bam, bai, all } = await waitForOddReads(since, igv.home);
  assertAcceptedSignatures([...bam, ...bai]);
  assertOnlyExactKeys(all);
  const reads = await snapshotShowsReads(port, igv.home, 'odd-keys-session');
  assert.ok(reads > 8000, `the snapshot shows reads (${reads} read pixels)`);
});

// The window opens a file in IGV with no genome to name. IGV 2.16 started
// with a session that names none loads none of its tracks, and drops
// tracks sent over its port while it still opens its default genome, so
// the session names the genome IGV's own preferences name (genokey runs
// with IGV's home, where they are).
test('IGV started without a genome still gets the track', { timeout: scaled(240000) }, async (t) => {
  const port = await freePort();
  const d = sim.info.demo;
  const igv = makeIgvHome({ port, genomePath: join(d.local_dir, 'ref.fa') });
  const launcher = writeIgvLauncher(igv.home);
  t.after(async () => { await stopIgv({ port, home: igv.home }); removeHome(igv.home); });

  const since = sim.s3Log.length;
  const env = { ...(await envFor()), JAVA_TOOL_OPTIONS: igv.env.JAVA_TOOL_OPTIONS, XDG_CACHE_HOME: join(igv.home, 'cache'), HOME: igv.home };
  const r = await genokey(['igv', '--profile', 'env', '--port', String(port), '--locus', LOCUS,
    '--igv-command', launcher, `s3://${d.bucket}/${d.bam}`], env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /Started IGV with 1 track/);
  const { bam, bai } = await waitForReads(since, 60000);
  assertAcceptedSignatures([...bam, ...bai]);
  const reads = await snapshotShowsReads(port, igv.home, 'launched-no-genome');
  assert.ok(reads > 8000, `the snapshot shows reads (${reads} read pixels)`);
});

// A BAM indexed with `samtools index -c` has only a .csi, which IGV reads:
// genokey pairs it as IGV would and hands it over.
test('IGV reads a BAM whose only index is a CSI', { timeout: scaled(240000) }, async (t) => {
  const d = sim.info.demo;
  const csiPath = join(process.env.TMPDIR || '/tmp', `gk-csi-${process.pid}.csi`);
  execFileSync('samtools', ['index', '-c', '-o', csiPath, join(d.local_dir, 'SAMPLE1.bam')]);
  const key = 'csi-only/S1.bam';
  sim.putObject(d.bucket, key, readFileSync(join(d.local_dir, 'SAMPLE1.bam')));
  sim.putObject(d.bucket, 'csi-only/S1.csi', readFileSync(csiPath));
  rmSync(csiPath, { force: true });

  const port = await freePort();
  const igv = makeIgvHome({ port, genomePath: join(d.local_dir, 'ref.fa') });
  t.after(async () => { await stopIgv({ port, home: igv.home }); removeHome(igv.home); });
  startIgv(igv);
  await waitForIgv(port);

  const since = sim.s3Log.length;
  const r = await genokey(['igv', '--profile', 'env', '--port', String(port), '--locus', LOCUS, `s3://${d.bucket}/${key}`],
    await envFor());
  assert.equal(r.code, 0, r.stderr);
  const start = Date.now();
  let reads = [];
  while (Date.now() - start < 60000) {
    reads = sim.s3Log.slice(since).filter((e) => e.method === 'GET' && e.range !== 'bytes=0-0');
    if (reads.some((e) => e.key === 'csi-only/S1.csi') && reads.some((e) => e.key === key && e.status === 206)) break;
    await new Promise((res) => setTimeout(res, 250));
  }
  assert.ok(reads.some((e) => e.key === 'csi-only/S1.csi' && !e.error), `IGV read the CSI: ${JSON.stringify(reads.map((e) => [e.key, e.status]))}`);
  assertAcceptedSignatures(reads.filter((e) => e.key === key || e.key === 'csi-only/S1.csi'));
  const pixels = await snapshotShowsReads(port, igv.home, 'csi-only');
  assert.ok(pixels > 8000, `the snapshot shows reads (${pixels} read pixels)`);
});
