// Cohorts at real S3's latency: the time and the S3 requests of
//   - a Chromoscope config for a 10,000-sample manifest (BAM, BAI, VCF, TBI,
//     SV, CNV each),
//   - the same cohort from its folder of sample folders,
//   - presign --with-index - of 10,000 BAM addresses in 100 folders,
//   - ls of a 100,000-key prefix,
// with the stand-in answering 30 ms late (as S3 does a lab's desktop), then
// at 0 ms; and, as the peer in the same run, the lookup one file at a time
// that Genokey did before (tests/pairing-tool single) over a sample of the
// presign addresses.
//
//   node tests/bench/cohorts.mjs   (or: ninja -C BUILD bench-cohorts)
//   Env: GENOKEY, PAIRING_TOOL; LATENCIES (default "30,0"); SAMPLES (10000);
//        FOLDERS (100); PER_FOLDER (100); LS_KEYS (100000); PEER_FILES (200)
//
// Each command runs once per latency, after a warm-up run at 0 ms that is
// not counted. Requests are counted in the stand-in's log. Beside the wall
// time: the command's own CPU time (user + system, from /usr/bin/time) and
// the stand-in's (it runs in this process, on one thread), so a loaded
// machine or a slow stand-in can be told from Genokey's own cost.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStandIn } from '../aws-sim/index.mjs';
import { makeChromoscopeCohort } from '../integration/lib/cohort.mjs';

const GENOKEY = process.env.GENOKEY;
const PAIRING_TOOL = process.env.PAIRING_TOOL;
const LATENCIES = (process.env.LATENCIES || '30,0').split(',').map(Number);
const SAMPLES = Number(process.env.SAMPLES || 10000);
const FOLDERS = Number(process.env.FOLDERS || 100);
const PER_FOLDER = Number(process.env.PER_FOLDER || 100);
const LS_KEYS = Number(process.env.LS_KEYS || 100000);
const PEER_FILES = Number(process.env.PEER_FILES || 200);
const BUCKET = 'bench-lab';

if (!GENOKEY || !PAIRING_TOOL) {
  process.stderr.write('cohorts.mjs: set GENOKEY and PAIRING_TOOL (ninja bench-cohorts does)\n');
  process.exit(2);
}

const TIME = '/usr/bin/time';

function run (cmd, args, { input = '', env, cpuFile }) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(TIME, ['-f', '%U %S', '-o', cpuFile, cmd, ...args],
      { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdoutBytes = 0;
    let stderr = '';
    child.stdout.on('data', (d) => { stdoutBytes += d.length; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (status) => {
      let cpu = NaN;
      try {
        const [user, system] = readFileSync(cpuFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
        cpu = user + system;
      } catch {}
      resolve({ status, stderr, stdoutBytes, cpu, seconds: Number(process.hrtime.bigint() - t0) / 1e9 });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}

const sim = await startStandIn({ demo: false, credentialLifetime: 43200 });
// The configs (some 80 MB of signed links each) are written to memory
// when it can be: genokey writes them safely (fsync), and the disk's
// speed is not what is measured.
const work = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'gk-bench-cohorts-'));
try {
  const t0 = Date.now();
  const { manifest } = makeChromoscopeCohort(sim, { bucket: BUCKET, prefix: 'cohort/', n: SAMPLES });
  const manifestFile = join(work, 'cohort.tsv');
  writeFileSync(manifestFile, manifest);
  sim.setBucketCors(BUCKET, [{ AllowedOrigins: ['*'], AllowedMethods: ['GET', 'HEAD'], AllowedHeaders: ['*'], ExposeHeaders: ['Content-Length', 'Content-Range', 'Accept-Ranges'] }]);
  const bams = [];
  for (let f = 0; f < FOLDERS; f++) {
    for (let i = 0; i < PER_FOLDER; i++) {
      const key = `runs/F${String(f).padStart(3, '0')}/R${String(i).padStart(4, '0')}.bam`;
      sim.putObject(BUCKET, key, 'bam');
      sim.putObject(BUCKET, `${key}.bai`, 'bai');
      bams.push(`s3://${BUCKET}/${key}`);
    }
  }
  for (let i = 0; i < LS_KEYS; i++) sim.putObject(BUCKET, `flat/k${String(i).padStart(7, '0')}.fastq.gz`, 'x');
  const presignInput = bams.join('\n') + '\n';
  const peerInput = bams.filter((_, i) => i % Math.max(1, Math.floor(bams.length / PEER_FILES)) === 0).slice(0, PEER_FILES).join('\n') + '\n';
  process.stdout.write(`# ${new Date().toISOString()}, ${cpus().length} CPUs\n`);
  process.stdout.write(`# stand-in: ${SAMPLES} samples (${SAMPLES * 6} files), ${bams.length} BAMs in ${FOLDERS} folders, ` +
    `${LS_KEYS} keys in one folder; made in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);

  const creds = await sim.issueCredentials({ lifetime: 43200 });
  const env = {
    AWS_ACCESS_KEY_ID: creds.accessKeyId,
    AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
    AWS_SESSION_TOKEN: creds.sessionToken,
    AWS_CREDENTIAL_EXPIRATION: new Date(creds.expiration).toISOString(),
    AWS_REGION: sim.info.region,
    AWS_ENDPOINT_URL_S3: sim.info.s3_endpoint,
  };

  const cases = [
    {
      name: `chromoscope --manifest (${SAMPLES} samples)`,
      target: 3,
      cmd: GENOKEY,
      args: ['chromoscope', '--profile', 'env', '--manifest', manifestFile, '--name', 'Bench', '--no-upload', '-o', join(work, 'manifest.json')],
    },
    {
      name: `chromoscope folder (${SAMPLES} samples)`,
      target: 3,
      cmd: GENOKEY,
      args: ['chromoscope', '--profile', 'env', `s3://${BUCKET}/cohort/`, '--name', 'Bench', '--no-upload', '-o', join(work, 'folder.json')],
    },
    {
      name: `presign --with-index - (${bams.length} BAMs, ${FOLDERS} folders)`,
      target: 2,
      cmd: GENOKEY,
      args: ['presign', '--profile', 'env', '--with-index', '-'],
      input: presignInput,
    },
    {
      name: `ls (${LS_KEYS} keys)`,
      ls: true,
      cmd: GENOKEY,
      args: ['ls', '--profile', 'env', `s3://${BUCKET}/flat/`],
    },
    {
      name: `peer: one lookup per file (${PEER_FILES} BAMs)`,
      peer: true,
      cmd: PAIRING_TOOL,
      args: ['single'],
      input: peerInput,
    },
    {
      name: `same ${PEER_FILES} BAMs paired from listings`,
      peer: true,
      cmd: PAIRING_TOOL,
      args: ['batch'],
      input: peerInput,
    },
  ];

  // Warm-up: page cache, the stand-in's sorted key lists, the JIT.
  sim.setLatency(0);
  const cpuFile = join(work, 'cpu');
  for (const c of cases) await run(c.cmd, c.args, { input: c.input, env, cpuFile });
  process.stdout.write(`# load average before the runs: ${loadavg().map((x) => x.toFixed(1)).join(' ')}\n`);

  const rows = [];
  for (const latency of LATENCIES) {
    sim.setLatency(latency);
    for (const c of cases) {
      const from = sim.s3Log.length;
      const standIn0 = process.cpuUsage();
      const r = await run(c.cmd, c.args, { input: c.input, env, cpuFile });
      const standIn = process.cpuUsage(standIn0);
      const standInCpu = (standIn.user + standIn.system) / 1e6;
      const log = sim.s3Log.slice(from);
      const requests = log.length;
      const lists = log.filter((e) => e.query['list-type'] === '2').length;
      const heads = log.filter((e) => e.method === 'HEAD').length;
      let verdict = '';
      if (c.target !== undefined) verdict = r.seconds <= c.target ? `≤ ${c.target} s: met` : `> ${c.target} s: MISSED`;
      if (c.ls) {
        const perThousand = (r.seconds - lists * latency / 1000) / (LS_KEYS / 1000);
        verdict = `${perThousand.toFixed(3)} s per 1,000 keys beyond the ${lists} pages' latency (target ≤ 0.2: ${perThousand <= 0.2 ? 'met' : 'MISSED'})`;
      }
      if (c.peer) {
        const perFile = r.seconds / PEER_FILES;
        verdict = `${(perFile * 1000).toFixed(2)} ms per file`;
      }
      if (r.status !== 0) verdict += ` (exit ${r.status}: ${r.stderr.trim().split('\n').pop()})`;
      rows.push({ latency, name: c.name, seconds: r.seconds, requests, lists, heads, verdict });
      process.stdout.write(`${String(latency).padStart(3)} ms  ${c.name.padEnd(48)} ${r.seconds.toFixed(2).padStart(7)} s  ` +
        `${String(requests).padStart(6)} S3 requests (${lists} list, ${heads} HEAD)  ` +
        `CPU: own ${r.cpu.toFixed(2)} s, stand-in ${standInCpu.toFixed(2)} s  ${verdict}\n`);
    }
  }
  process.stdout.write(`# load average after the runs: ${loadavg().map((x) => x.toFixed(1)).join(' ')}\n`);

  // The peer's rate, scaled to the presign case, for the ratio.
  for (const latency of LATENCIES) {
    const peer = rows.find((r) => r.latency === latency && r.name.startsWith('peer'));
    const presign = rows.find((r) => r.latency === latency && r.name.startsWith('presign'));
    if (peer && presign) {
      const scaled = peer.seconds / PEER_FILES * bams.length;
      process.stdout.write(`# at ${latency} ms: one lookup per file would take about ${scaled.toFixed(1)} s and ` +
        `${Math.round(peer.requests / PEER_FILES * bams.length)} requests for the ${bams.length} BAMs; ` +
        `paired from listings it took ${presign.seconds.toFixed(2)} s and ${presign.requests} (${(scaled / presign.seconds).toFixed(0)}× faster)\n`);
    }
  }
} finally {
  await sim.stop();
  rmSync(work, { recursive: true, force: true });
}
