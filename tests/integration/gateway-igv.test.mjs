// Real IGV desktop (Debian's 2.16) reads a BAM and its BAI through gateway
// links while the stand-in's credentials last 60 seconds: after more than
// two lifetimes IGV reads new ranges through the same links, and S3 sees
// them signed with newer credentials. After sign-out the same links fail
// (how soon is printed; the limit only catches a link that lives on).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { genokey, setUp, signIn } from './lib/genokey-cli.mjs';
import { installService, link, pathOf, raw, request, waitFor } from './lib/gateway.mjs';
import { freePort, igvCommands, makeIgvHome, removeHome, startIgv, stopIgv, waitForIgv } from './lib/igv.mjs';
import { scaled } from './lib/timeouts.mjs';

const LIFETIME = 60;
let sim;
let cleanUp = [];
let gatewayPort;

before(async () => {
  sim = await setUp({ after: (fn) => cleanUp.push(fn) }, 'lab',
    { sim: { demo: true, credentialLifetime: LIFETIME } });
  await signIn(sim, 'lab');
  gatewayPort = await installService();
});

after(async () => {
  await genokey(['gateway', 'stop']);
  for (const fn of cleanUp) await fn();
});

// IGV's reads of @key through the gateway since @since (header-signed GETs
// that reached S3, other than genokey's own one-byte checks).
function igvReads (since, key) {
  return sim.s3Log.slice(since).filter((e) => e.key === key && e.method === 'GET' && e.range !== 'bytes=0-0');
}

async function waitForReads (since, what) {
  const d = sim.info.demo;
  return waitFor(what, () => {
    const bam = igvReads(since, d.bam).filter((e) => e.status === 206);
    const bai = igvReads(since, d.bai).filter((e) => e.status === 200 || e.status === 206);
    return bam.length > 0 && bai.length > 0 ? { bam, bai } : null;
  }, { timeout: 120_000, interval: 250 });
}

test('IGV keeps reading through gateway links across credential renewals; sign-out ends them', { timeout: scaled(600_000) }, async (t) => {
  const d = sim.info.demo;
  const igvPort = await freePort();
  const genome = join(d.local_dir, 'ref.fa');
  const igv = makeIgvHome({ port: igvPort, genomePath: genome });
  t.after(async () => { await stopIgv({ port: igvPort, home: igv.home }); removeHome(igv.home); });
  startIgv(igv);
  await waitForIgv(igvPort);

  // genokey igv hands IGV gateway links by default.
  let since = sim.s3Log.length;
  const sent = await genokey(['igv', '--profile', 'lab', '--port', String(igvPort), '--genome', genome,
    '--locus', 'chr1:1000-3000', `s3://${d.bucket}/${d.bam}`], { timeout: 240_000 });
  assert.equal(sent.status, 0, sent.stderr);
  assert.match(sent.stderr, /Sent 1 track to IGV/);
  assert.match(sent.stderr, /as long as you stay signed in/);
  assert.doesNotMatch(sent.stderr + sent.stdout, /X-Amz-|[A-Za-z0-9_-]{32}\//, 'no link or capability printed');
  const first = await waitForReads(since, 'IGV to read the BAM and BAI through the gateway');
  for (const e of [...first.bam, ...first.bai]) {
    assert.equal(e.auth, 'header', 'signed by the gateway, not presigned');
    assert.equal(e.error ?? null, null);
  }
  const firstKeys = new Set([...first.bam, ...first.bai].map((e) => e.accessKeyId));

  // More than two credential lifetimes later…
  const waitUntil = Date.now() + (2 * LIFETIME + 15) * 1000;
  await waitFor('two credential lifetimes to pass', () => Date.now() > waitUntil,
    { timeout: (2 * LIFETIME + 60) * 1000, interval: 1000 });
  assert.ok(sim.s3Log.slice(since).every((e) => e.status < 400 || e.status === 416), 'no refused request meanwhile');

  // …IGV reads again through the very same links: a new session and a
  // re-load, then new ranges.
  const links = await link('lab', `s3://${d.bucket}/${d.bam}`, { withIndex: true });
  since = sim.s3Log.length;
  const replies = await igvCommands(igvPort, ['new', `genome ${genome}`,
    `load "${links.url}" index="${links.index_url}" name=again format=bam`, 'goto chr1:8000-12000'],
    { timeout: 120_000 });
  assert.deepEqual(replies.slice(2), ['OK', 'OK']);
  const second = await waitForReads(since, 'IGV to read again after two credential lifetimes');
  const secondKeys = new Set([...second.bam, ...second.bai].map((e) => e.accessKeyId));
  for (const e of [...second.bam, ...second.bai]) {
    assert.equal(e.auth, 'header');
    assert.equal(e.error ?? null, null, `${e.key}: ${e.error}`);
  }
  assert.ok([...secondKeys].every((k) => !firstKeys.has(k)),
    `the reads after two lifetimes are signed with newer credentials (${[...firstKeys]} then ${[...secondKeys]})`);
  console.log(`# first reads signed by ${[...firstKeys].join(', ')}; after ${2 * LIFETIME + 15} s by ${[...secondKeys].join(', ')}`);

  // Sign-out: the links IGV holds stop.
  const out = await genokey(['logout', '--profile', 'lab']);
  assert.equal(out.status, 0, out.stderr);
  const signedOut = Date.now();
  for (const url of [links.url, links.index_url]) {
    await waitFor('the link to be refused after sign-out', async () => {
      const a = await raw(gatewayPort, request(gatewayPort, pathOf(url), { headers: { Range: 'bytes=0-99' } }));
      return a.status === 403;
    }, { timeout: 10_000, interval: 50 });
  }
  console.log(`# links refused ${Date.now() - signedOut} ms after sign-out`);
});
