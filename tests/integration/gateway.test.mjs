// The gateway as users meet it: `genokey link` asks the running Genokey
// over D-Bus (which starts the windowless service when none runs), the
// links read S3 through it with the current credentials, hostile and odd
// requests are refused while running links keep working, a killed service
// comes back with the same links, and sign-out kills them. Real parts: the
// stand-in's verifying S3, gnome-keyring, the D-Bus session bus and its
// activation (keyring-session.sh).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { genokey, setUp, signIn } from './lib/genokey-cli.mjs';
import { installService, killService, link, pathOf, raw, request, servicePid, waitFor } from './lib/gateway.mjs';

let sim;
let port;
let bam;      // { url, index_url } of the demo BAM
let demo;

before(async () => {
  // One stand-in, profile and service for the file; tests run in order.
  const hooks = [];
  sim = await setUp({ after: (fn) => hooks.push(fn) }, 'lab', { sim: { demo: true } });
  sim.cleanUp = hooks;
  demo = sim.info.demo;
  await signIn(sim, 'lab');
  port = await installService();
  bam = await link('lab', `s3://${demo.bucket}/${demo.bam}`, { withIndex: true });
});

after(async () => {
  await genokey(['gateway', 'stop']);
  for (const fn of sim?.cleanUp ?? []) await fn();
});

function localBytes (name, start, end) {
  const all = readFileSync(join(demo.local_dir, name));
  return end === undefined ? all : all.subarray(start, end + 1);
}

const BAM = () => demo.bam.split('/').pop();
const BAI = () => demo.bai.split('/').pop();

test('genokey link prints gateway links that read the object through the service', async () => {
  assert.match(bam.url, new RegExp(`^http://127\\.0\\.0\\.1:${port}/[A-Za-z0-9_-]{32}/${demo.bucket}/`));
  assert.ok(bam.index_url.endsWith(`/${demo.bucket}/${demo.bai}`), 'the index link too');
  assert.doesNotMatch(bam.url, /X-Amz-/);

  const ranged = await fetch(bam.url, { headers: { Range: 'bytes=100-199' } });
  assert.equal(ranged.status, 206, await ranged.clone().text());
  assert.equal(ranged.headers.get('content-range'), `bytes 100-199/${localBytes(BAM()).length}`);
  assert.deepEqual(Buffer.from(await ranged.arrayBuffer()), localBytes(BAM(), 100, 199));

  const whole = await fetch(bam.index_url);
  assert.equal(whole.status, 200);
  assert.deepEqual(Buffer.from(await whole.arrayBuffer()), localBytes(BAI()));

  // S3 saw header-signed requests with the sign-in's credentials.
  const reads = sim.s3Log.filter((e) => e.key === demo.bam && e.range === 'bytes=100-199');
  assert.ok(reads.length >= 1 && reads.every((e) => e.auth === 'header' && e.status === 206),
    JSON.stringify(reads.map((e) => [e.auth, e.status])));
});

test('genokey gateway status shows the port, the profile, links and bytes served', async () => {
  const r = await genokey(['gateway', 'status', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.equal(s.running, true);
  assert.equal(s.port, port);
  assert.deepEqual(s.profiles, ['lab']);
  assert.ok(s.links_served >= 2, `links served: ${s.links_served}`);
  assert.ok(s.bytes_served >= 100 + localBytes(BAI()).length, `bytes served: ${s.bytes_served}`);
  const text = await genokey(['gateway', 'status']);
  assert.match(text.stdout, new RegExp(`running on http://127\\.0\\.0\\.1:${port}`));
  assert.match(text.stdout, /Profiles: +lab/);
  assert.match(text.stdout, /Links served: +\d+/);
  assert.match(text.stdout, /Bytes served: +/);
  assert.match(text.stdout, /Last error: +/);
  assert.doesNotMatch(r.stdout + text.stdout, /[A-Za-z0-9_-]{32}\//, 'no capability in the status');
});

test('the service restarts with the same links; logout kills them within a second', async () => {
  const first = await servicePid();
  await killService();
  // Dead service, dead port: the link fails until the service is back.
  await assert.rejects(fetch(bam.url));
  // Any call brings it back (D-Bus activation), on the same port, with
  // the same secret from the keyring.
  const again = await link('lab', `s3://${demo.bucket}/${demo.bam}`, { withIndex: true });
  assert.equal(again.url, bam.url);
  assert.notEqual(await servicePid(), first);
  const r = await fetch(bam.url, { headers: { Range: 'bytes=0-3' } });
  assert.equal(r.status, 206);
  await r.arrayBuffer();

  const out = await genokey(['logout', '--profile', 'lab']);
  assert.equal(out.status, 0, out.stderr);
  const since = Date.now();
  const dead = await waitFor('the link to be refused after logout', async () => {
    const a = await raw(port, request(port, pathOf(bam.url), { headers: { Range: 'bytes=0-3' } }));
    return a.status === 403 ? a : null;
  }, { timeout: 1000, interval: 50 });
  console.log(`# link refused ${Date.now() - since} ms after logout returned`);
  assert.match(dead.body.toString(), /not valid/);
});
