// The gateway as users meet it: `genokey link` asks the running Genokey
// over D-Bus (which starts the windowless service when none runs), the
// links read S3 through it with the current credentials, hostile and odd
// requests are refused while running links keep working, a taken port is
// named (never left for another), a killed service comes back with the same
// links, and sign-out kills them. Real parts: the
// stand-in's verifying S3, gnome-keyring, the D-Bus session bus and its
// activation (keyring-session.sh).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer } from 'node:net';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { genokey, setUp, signIn } from './lib/genokey-cli.mjs';
import { installService, killService, link, pathOf, raw, request, servicePid, waitFor } from './lib/gateway.mjs';
import { scaled } from './lib/timeouts.mjs';

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

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Reads @url to the end, slowly (a chunk every 200 ms) until
// @progress.hurry is set; resolves the SHA-256 of what arrived.
async function slowRead (url, progress) {
  const r = await fetch(url);
  assert.equal(r.status, 200);
  const hash = createHash('sha256');
  const reader = r.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    hash.update(value);
    progress.bytes += value.length;
    if (!progress.hurry) await sleep(200);
  }
  return hash.digest('hex');
}

async function stillWorks () {
  const r = await fetch(bam.url, { headers: { Range: 'bytes=0-15' } });
  assert.equal(r.status, 206, 'a running link keeps working');
  assert.deepEqual(Buffer.from(await r.arrayBuffer()), localBytes(BAM(), 0, 15));
}

test('hostile and odd requests are refused while running links keep working', { timeout: scaled(300_000) }, async () => {
  // A read that runs through everything below.
  const big = randomBytes(48 * 1024 * 1024);
  sim.putObject(demo.bucket, 'big/stream.bin', big);
  const bigLink = await link('lab', `s3://${demo.bucket}/big/stream.bin`);
  const progress = { bytes: 0 };
  const running = slowRead(bigLink.url, progress);
  await waitFor('the running read to start', () => progress.bytes > 0);

  const cap = pathOf(bam.url).split('/')[1];
  const baiCap = pathOf(bam.index_url).split('/')[1];
  const other = pathOf(bam.url).replace(cap, baiCap);
  const guessed = pathOf(bam.url).replace(cap, cap.slice(0, -1) + (cap.endsWith('A') ? 'B' : 'A'));
  const from = sim.s3Log.length;

  // Another object's capability, and a guessed one.
  for (const path of [other, guessed]) {
    const a = await raw(port, request(port, path));
    assert.equal(a.status, 403, path.split('/').slice(2).join('/'));
    assert.match(a.body.toString(), /not valid/);
  }
  // DNS rebinding: the right path under another Host.
  for (const host of [`localhost:${port}`, `evil.example:${port}`, '127.0.0.1']) {
    const a = await raw(port, request(port, pathOf(bam.url), { host }));
    assert.equal(a.status, 421, host);
  }
  // Traversal and other spellings of the path.
  const [, , bucket, ...rest] = pathOf(bam.url).split('/');
  for (const path of [`/${cap}/${bucket}/cohort1/../${rest.join('/')}`, `/${cap}/${bucket}/${rest.join('%2F')}`,
    `/${cap}/${bucket}//${rest.join('/')}`, `/${cap}/../${bucket}/${rest.join('/')}`]) {
    const a = await raw(port, request(port, path));
    assert.equal(a.status, 404, path.replace(cap, 'CAP'));
  }
  // HEAD on a missing key: 404 and no body, S3's HEAD asked.
  const missing = await link('lab', `s3://${demo.bucket}/no/such.bam`);
  const head = await raw(port, request(port, pathOf(missing.url), { method: 'HEAD' }), { head: true });
  assert.equal(head.status, 404);
  assert.equal(head.body.length, 0);
  // Several ranges: refused with the size, never answered 200.
  const multi = await raw(port, request(port, pathOf(bam.url), { headers: { Range: 'bytes=0-1,10-11' } }));
  assert.equal(multi.status, 416);
  assert.equal(multi.headers['content-range'], `bytes */${localBytes(BAM()).length}`);
  // Nothing above reached S3 but the HEAD and the size.
  const reached = sim.s3Log.slice(from).filter((e) => e.key !== 'big/stream.bin');
  assert.ok(reached.every((e) => e.method === 'HEAD'), JSON.stringify(reached.map((e) => [e.method, e.key])));
  await stillWorks();

  // A thousand idle connections: the gateway keeps a bounded number, links work.
  const idle = [];
  let closedByGateway = 0;
  for (let i = 0; i < 1000; i++) {
    const s = connect(port, '127.0.0.1');
    s.on('error', () => {});
    s.on('close', () => { closedByGateway++; });
    idle.push(s);
  }
  await Promise.all(idle.map((s) => new Promise((r) => { if (s.connecting) s.once('connect', r); else r(); })));
  await stillWorks();
  await waitFor('the gateway to shed idle connections beyond its bound',
    () => closedByGateway >= 1000 - 128, { timeout: 120_000 });
  const status = JSON.parse((await genokey(['gateway', 'status', '--json'])).stdout);
  assert.ok(status.connections <= 128, `${status.connections} connections open`);
  for (const s of idle) s.destroy();

  // A slowloris: one byte of a request head every half second.
  const slow = connect(port, '127.0.0.1');
  let slowClosedAt = null;
  slow.on('error', () => {});
  slow.on('close', () => { slowClosedAt = Date.now(); });
  const started = Date.now();
  const head_ = `GET ${pathOf(bam.url)} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`;
  (async () => {
    for (const c of head_) {
      if (slowClosedAt) break;
      slow.write(c);
      await sleep(500);
    }
  })();
  await stillWorks();
  await waitFor('the gateway to cut the slowloris off', () => slowClosedAt, { timeout: 60_000 });
  console.log(`# slowloris cut off after ${slowClosedAt - started} ms`);
  assert.ok(slowClosedAt - started < 30_000);

  // The read ran through all of it, and got every byte, in order.
  assert.ok(progress.bytes < big.length, 'the read was still running when the hostile requests ended');
  progress.hurry = true;
  const digest = await running;
  assert.equal(digest, createHash('sha256').update(big).digest('hex'));
  await stillWorks();
});

// Links carry the port: when another program holds it, the gateway says so
// (with what to do) and never moves elsewhere; once the port is free the
// same links work again.
test('a taken port is a clear error, never a move', async () => {
  await killService();
  const squatter = createServer(() => {});
  await new Promise((resolve) => squatter.listen(port, '127.0.0.1', resolve));
  try {
    const r = await genokey(['link', '--profile', 'lab', `s3://${demo.bucket}/${demo.bam}`]);
    assert.notEqual(r.status, 0);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is in use by another program`));
    assert.match(r.stderr, /gsettings set \S+ gateway-port PORT/);
    const status = await genokey(['gateway', 'status', '--json']);
    assert.equal(status.status, 0, status.stderr);
    const s = JSON.parse(status.stdout);
    assert.equal(s.running, false);
    assert.equal(s.port, port);
    assert.match(s.last_error, /in use by another program/);
  } finally {
    await new Promise((resolve) => squatter.close(resolve));
  }
  const again = await link('lab', `s3://${demo.bucket}/${demo.bam}`, { withIndex: true });
  assert.equal(again.url, bam.url);
  const r = await fetch(bam.url, { headers: { Range: 'bytes=0-3' } });
  assert.equal(r.status, 206);
  await r.arrayBuffer();
});

test('the service restarts with the same links; logout kills them', async () => {
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
  }, { timeout: 10_000, interval: 50 });
  console.log(`# link refused ${Date.now() - since} ms after logout returned`);
  assert.match(dead.body.toString(), /not valid/);
});
