// Driver for startup.sh (see there). Prints figures; not a test.
import { spawn, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startStandIn } from '../aws-sim/index.mjs';
import { completeLogin } from '../integration/lib/hosted-login.mjs';
import { freePort, makeIgvHome, startIgv, waitForIgv, igvPid, memoryMiB, stopIgv, removeHome } from '../integration/lib/igv.mjs';

const run = promisify(execFile);
const GENOKEY = process.env.GENOKEY;
const RUNS = Number(process.env.RUNS || 5);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function statusKiB (pid, field) {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

async function signIn (sim) {
  await run(GENOKEY, ['profile', 'import', sim.info.profile_file, '--name', 'demo-lab']);
  const login = spawn(GENOKEY, ['login', '--no-browser', '--profile', 'demo-lab'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  login.stderr.on('data', (d) => { err += d; });
  const url = await new Promise((resolve, reject) => {
    login.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('http'));
      if (line) resolve(line.trim());
    });
    login.on('exit', (code) => reject(new Error(`genokey login exited ${code}: ${err.trim()}`)));
  });
  const user = sim.info.users[0];
  await completeLogin(url, user);
  await new Promise((resolve) => login.on('exit', resolve));
}

// One cold start of the window: wall clock from spawn to the marks it prints.
async function startWindow (extraEnv = {}) {
  const spawnedUs = Date.now() * 1000;
  const child = spawn(GENOKEY, [], { env: { ...process.env, ...extraEnv, GENOKEY_BENCH: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
  const marks = {};
  let err = '';
  child.stderr.on('data', (d) => {
    err += d;
    for (const m of err.matchAll(/genokey-bench: (\S+) (\d+)/g)) marks[m[1]] = Number(m[2]);
  });
  const end = Date.now() + 30000;
  while (!marks['files-shown'] && Date.now() < end) await sleep(20);
  if (!marks['files-shown']) { child.kill(); throw new Error(`the window never showed the files:\n${err}`); }
  await sleep(1000); // let it settle on the signed-in view
  const hwm = statusKiB(child.pid, 'VmHWM');
  const rss = statusKiB(child.pid, 'VmRSS');
  const { pss } = memoryMiB(child.pid);
  child.kill('SIGTERM');
  await new Promise((resolve) => child.on('exit', resolve));
  return {
    firstFrameMs: (marks['first-frame'] - spawnedUs) / 1000,
    filesMs: (marks['files-shown'] - spawnedUs) / 1000,
    peakMiB: hwm / 1024,
    rssMiB: rss / 1024,
    pssMiB: pss,
  };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const fmt = (x, d = 0) => x.toFixed(d);

const sim = await startStandIn({});
try {
  await signIn(sim);
  await startWindow(); // the session's first start activates portals and the a11y bus: not ours
  // Xvfb has no GPU: GTK's GL renderer runs on Mesa's llvmpipe, which costs
  // start-up time and ~130 MiB that a desktop with a GPU driver does not
  // pay. So the window is measured both ways.
  const modes = [
    ['GL renderer on llvmpipe (as started here)', {}],
    ['without GL (GDK_DEBUG=gl-disable), as on a GPU-less desktop', { GDK_DEBUG: 'gl-disable' }],
  ];
  const results = [];
  for (const [label, env] of modes) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await startWindow(env));
    results.push({
      label,
      runs,
      firstFrame: median(runs.map((r) => r.firstFrameMs)),
      files: median(runs.map((r) => r.filesMs)),
      peak: Math.max(...runs.map((r) => r.peakMiB)),
      pss: median(runs.map((r) => r.pssMiB)),
    });
  }

  // IGV desktop, same machine, same run.
  const port = await freePort();
  const igv = makeIgvHome({ port, genomePath: join(sim.info.demo.local_dir, 'ref.fa') });
  let igvMs = NaN;
  let igvMiB = NaN;
  let igvPssMiB = NaN;
  try {
    const started = Date.now();
    startIgv(igv);
    await waitForIgv(port);
    igvMs = Date.now() - started;
    await sleep(2000);
    const memory = memoryMiB(igvPid(igv.home));
    igvMiB = memory.rss ?? NaN;
    igvPssMiB = memory.pss ?? NaN;
  } finally {
    await stopIgv({ port, home: igv.home });
    removeHome(igv.home);
  }

  console.log(`Genokey window, ${RUNS} starts each (median), signed in from the keyring:`);
  for (const r of results) {
    console.log(`  ${r.label}:`);
    console.log(`    process start → first frame        ${fmt(r.firstFrame)} ms   (target < 250 ms)`);
    console.log(`    process start → files listed       ${fmt(r.files)} ms`);
    console.log(`    peak RSS on the signed-in view     ${fmt(r.peak, 1)} MiB (target < 60 MiB)`);
    console.log(`    PSS on the signed-in view          ${fmt(r.pss, 1)} MiB (shared libraries split among their users)`);
    console.log(`    each run: ${r.runs.map((x) => `${fmt(x.firstFrameMs)} ms/${fmt(x.peakMiB, 1)} MiB`).join(', ')}`);
  }
  console.log('IGV desktop 2.16 (Debian), same run:');
  console.log(`  start → first batch-port reply       ${fmt(igvMs)} ms`);
  console.log(`  RSS once started                     ${fmt(igvMiB, 1)} MiB`);
  console.log(`  PSS once started                     ${fmt(igvPssMiB, 1)} MiB`);
  for (const r of results)
    console.log(`Genokey (${r.label.split(' (')[0]}): first frame ${fmt(igvMs / r.firstFrame, 1)}× sooner than IGV's port, ` +
                `${fmt(igvMiB / r.peak, 1)}× IGV's memory / Genokey's.`);
} finally {
  await sim.stop();
}
