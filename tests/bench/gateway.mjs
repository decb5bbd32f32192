#!/usr/bin/env node
// The gateway next to reading the presigned URL directly, in the same run,
// against the local AWS stand-in's S3 on this machine:
//   - 64 KiB range reads, one at a time on a kept-alive connection: the
//     median and 99th percentile time of each way, and what the gateway
//     adds (target: median ≤ 1 ms);
//   - a 256 MiB sequential read with curl: throughput each way and the
//     ratio (target: gateway ≥ 0.8× direct);
//   - eight parallel 256 MiB readers through the gateway: how much its RSS
//     grows (target: ≤ 10 MiB).
// The stand-in runs in its own process, the gateway in another
// (bench-gateway: the real GkGateway), the clients here and in curl.
//
//   node tests/bench/gateway.mjs BENCH-GATEWAY     (or: ninja -C BUILD bench-gateway)
//   Env: READS (range reads each way, default 400), SIZE_MIB (default 256)
//
// SPDX-License-Identifier: GPL-3.0-or-later
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const READS = Number(process.env.READS || 400);
const SIZE = Number(process.env.SIZE_MIB || 256) * 1024 * 1024;
const RANGE = 64 * 1024;
const BUCKET = 'bench-lab';

function firstLine (child) {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    rl.once('line', (l) => resolve(JSON.parse(l)));
    child.once('exit', (code) => reject(new Error(`${child.spawnfile} exited (${code}) before it was ready`)));
  });
}

function readOnce (agent, url, start) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const req = get(url, { agent, headers: { Range: `bytes=${start}-${start + RANGE - 1}` } }, (res) => {
      let n = 0;
      res.on('data', (d) => { n += d.length; });
      res.on('end', () => {
        if (res.statusCode !== 206 || n !== RANGE) reject(new Error(`HTTP ${res.statusCode}, ${n} bytes`));
        else resolve(Number(process.hrtime.bigint() - t0) / 1e6);
      });
    });
    req.on('error', reject);
  });
}

const quantile = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * s.length))]; };

function curl (url) {
  return new Promise((resolve, reject) => {
    const child = spawn('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code} %{size_download} %{time_total}', url]);
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.on('error', reject);
    child.on('close', () => {
      const [code, size, time] = out.trim().split(' ').map(Number);
      if (code !== 200 || size !== SIZE) reject(new Error(`curl: HTTP ${code}, ${size} bytes`));
      else resolve(size / time / (1024 * 1024));
    });
  });
}

// CPU seconds (user, system) a process has used so far.
function cpu (pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const tick = 100; // USER_HZ on Linux
  return { user: Number(f[11]) / tick, sys: Number(f[12]) / tick };
}

function rssMiB (pid) {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m[1]) / 1024;
}

async function main (benchGateway) {
  if (!benchGateway) throw new Error('usage: gateway.mjs BENCH-GATEWAY');
  const standIn = spawn(process.execPath, [fileURLToPath(import.meta.url), '--stand-in'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const s = await firstLine(standIn);
  const gateway = spawn(benchGateway, [BUCKET, 'big.bin'], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: s.c.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s.c.secretAccessKey,
      AWS_SESSION_TOKEN: s.c.sessionToken,
      AWS_CREDENTIAL_EXPIRATION: new Date(s.c.expiration).toISOString(),
      AWS_REGION: s.region,
      AWS_ENDPOINT_URL_S3: s.endpoint,
      GIO_USE_PROXY_RESOLVER: 'dummy',
    },
  });
  try {
    const g = await firstLine(gateway);
    const { gateway: viaGateway, presigned: direct } = g.objects[0];
    console.log(`Gateway (pid ${g.pid}) on 127.0.0.1:${g.port}; the stand-in's S3 at ${s.endpoint}; object ${SIZE / 1048576} MiB.`);

    // 64 KiB range reads, alternating, each way on its own kept-alive connection.
    const agents = { direct: new Agent({ keepAlive: true, maxSockets: 1 }), gateway: new Agent({ keepAlive: true, maxSockets: 1 }) };
    const times = { direct: [], gateway: [] };
    const blocks = SIZE / RANGE;
    const cpu0 = cpu(g.pid);
    for (let i = 0; i < READS + 50; i++) {
      const start = (Math.floor(Math.random() * blocks)) * RANGE;
      const order = i % 2 ? ['direct', 'gateway'] : ['gateway', 'direct'];
      for (const way of order) {
        const ms = await readOnce(agents[way], way === 'direct' ? direct : viaGateway, start);
        if (i >= 50) times[way].push(ms);
      }
    }
    const md = quantile(times.direct, 0.5), mg = quantile(times.gateway, 0.5);
    const pd = quantile(times.direct, 0.99), pg = quantile(times.gateway, 0.99);
    console.log(`\n64 KiB range reads (${READS} each way, alternating, kept-alive):`);
    console.log(`  direct (presigned):  median ${md.toFixed(2)} ms, p99 ${pd.toFixed(2)} ms`);
    console.log(`  through the gateway: median ${mg.toFixed(2)} ms, p99 ${pg.toFixed(2)} ms`);
    console.log(`  added by the gateway: median ${(mg - md).toFixed(2)} ms, p99 ${(pg - pd).toFixed(2)} ms (target: median ≤ 1 ms)`);
    const cpu1 = cpu(g.pid);
    console.log(`  gateway CPU per read: ${((cpu1.user - cpu0.user + cpu1.sys - cpu0.sys) * 1e6 / (READS + 50)).toFixed(0)} µs ` +
      `(user ${((cpu1.user - cpu0.user) * 1e6 / (READS + 50)).toFixed(0)} µs)`);

    // Sequential reads with curl, alternating, best of five each way.
    const speed = { direct: [], gateway: [] };
    const cpu2 = cpu(g.pid);
    for (let i = 0; i < 5; i++) {
      speed.direct.push(await curl(direct));
      speed.gateway.push(await curl(viaGateway));
    }
    const cpu3 = cpu(g.pid);
    const bd = Math.max(...speed.direct), bg = Math.max(...speed.gateway);
    console.log(`\n${SIZE / 1048576} MiB sequential read (curl, best of 5 each way, alternating):`);
    console.log(`  direct (presigned):  ${bd.toFixed(0)} MiB/s   (runs: ${speed.direct.map((x) => x.toFixed(0)).join(', ')})`);
    console.log(`  through the gateway: ${bg.toFixed(0)} MiB/s   (runs: ${speed.gateway.map((x) => x.toFixed(0)).join(', ')})`);
    console.log(`  ratio: ${(bg / bd).toFixed(2)}× direct (target: ≥ 0.8×)`);
    console.log(`  gateway CPU per ${SIZE / 1048576} MiB: user ${((cpu3.user - cpu2.user) / 5).toFixed(3)} s, ` +
      `system ${((cpu3.sys - cpu2.sys) / 5).toFixed(3)} s (the system part is the kernel copying through the second socket)`);

    // Eight readers at once through the gateway: its RSS, sampled.
    const before = rssMiB(g.pid);
    let peak = before;
    const sampler = setInterval(() => { peak = Math.max(peak, rssMiB(g.pid)); }, 20);
    const started = Date.now();
    const rates = await Promise.all(Array.from({ length: 8 }, () => curl(viaGateway)));
    clearInterval(sampler);
    peak = Math.max(peak, rssMiB(g.pid));
    const total = (8 * SIZE) / 1048576 / ((Date.now() - started) / 1000);
    console.log(`\nEight parallel ${SIZE / 1048576} MiB readers through the gateway:`);
    console.log(`  ${total.toFixed(0)} MiB/s in all (each ${rates.map((x) => x.toFixed(0)).join(', ')} MiB/s)`);
    console.log(`  gateway RSS ${before.toFixed(1)} MiB before, ${peak.toFixed(1)} MiB at peak: +${(peak - before).toFixed(1)} MiB (target: ≤ 10 MiB)`);
  } finally {
    gateway.stdin.end();
    standIn.stdin.end();
  }
}

if (process.argv[2] === '--stand-in') {
  // Child mode: the stand-in, its objects and credentials.
  const { startStandIn } = await import('../aws-sim/index.mjs');
  const sim = await startStandIn({ demo: false });
  sim.putObject(BUCKET, 'big.bin', randomBytes(SIZE));
  const c = await sim.issueCredentials({ lifetime: 7200 });
  // The log of every request would grow by the thousand; the bench
  // does not need it.
  setInterval(() => { sim.s3Log.length = 0; }, 1000);
  process.stdout.write(JSON.stringify({ endpoint: sim.info.s3_endpoint, region: sim.info.region, c }) + '\n');
  process.stdin.resume();
  process.stdin.on('end', async () => { await sim.stop(); process.exit(0); });
} else {
  await main(process.argv[2]);
}
