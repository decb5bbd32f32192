// Driver for startup.sh (see there). Prints figures; not a test.
//
// The floor is a bare AdwApplicationWindow with a header bar and a status
// page (bench-floor.c), started the same way in the same run: Genokey's
// first frame and peak memory are given as ratios to it, on the welcome page
// (no profile) and signed in with the lab's files listed. Starts alternate
// between the three, so a machine that gets busier meanwhile weighs on all
// of them alike. Times are the best of the starts (the one least disturbed
// by whatever else runs here: on a shared 2-core machine the median of a few
// starts moves by half a second); memory, which load hardly moves, is the
// median.
import { spawn, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStandIn } from '../aws-sim/index.mjs';
import { completeLogin } from '../integration/lib/hosted-login.mjs';
import { freePort, makeIgvHome, startIgv, waitForIgv, igvPid, memoryMiB, stopIgv, removeHome } from '../integration/lib/igv.mjs';

const run = promisify(execFile);
const GENOKEY = process.env.GENOKEY;
const FLOOR = process.env.GENOKEY_BENCH_FLOOR;
const RUNS = Number(process.env.RUNS || 7);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Targets of the signed-in view with the files listed, against the floor.
const TARGET_FIRST_FRAME_RATIO = 1.5;
const TARGET_RSS_OVER_FLOOR_MIB = 12;

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

// One cold start: wall clock from spawn to the marks the program prints
// (`genokey-bench: NAME MICROSECONDS` on stderr), and its peak memory once
// @until was marked and the window had a second to settle.
async function start (program, { env = {}, until = 'first-frame' } = {}) {
  const spawnedUs = Date.now() * 1000;
  const child = spawn(program, [], { env: { ...process.env, ...env, GENOKEY_BENCH: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
  const marks = {};
  let err = '';
  child.stderr.on('data', (d) => {
    err += d;
    for (const m of err.matchAll(/genokey-bench: (\S+) (\d+)/g)) marks[m[1]] = Number(m[2]);
  });
  const end = Date.now() + 60000;
  while (!marks[until] && child.exitCode === null && Date.now() < end) await sleep(20);
  if (!marks[until]) {
    child.kill();
    throw new Error(`${program} never marked ${until} (waited 60 s):\n${err}`);
  }
  await sleep(1000);
  const hwm = statusKiB(child.pid, 'VmHWM');
  const { pss } = memoryMiB(child.pid);
  child.kill('SIGTERM');
  await new Promise((resolve) => child.on('exit', resolve));
  return {
    firstFrameMs: (marks['first-frame'] - spawnedUs) / 1000,
    untilMs: (marks[until] - spawnedUs) / 1000,
    peakMiB: hwm / 1024,
    pssMiB: pss,
  };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const best = (xs) => Math.min(...xs);
const fmt = (x, d = 0) => x.toFixed(d);

function summary (runs) {
  return {
    runs,
    firstFrame: best(runs.map((r) => r.firstFrameMs)),
    firstFrameMedian: median(runs.map((r) => r.firstFrameMs)),
    until: best(runs.map((r) => r.untilMs)),
    peak: median(runs.map((r) => r.peakMiB)),
    pss: median(runs.map((r) => r.pssMiB)),
  };
}

const sim = await startStandIn({});
// The welcome page: Genokey with no profile (profiles live under
// XDG_CONFIG_HOME; the sign-in above stays in the keyring, unused).
const emptyConfig = mkdtempSync(join(tmpdir(), 'gk-bench-welcome-'));
try {
  await signIn(sim);
  // The session's first start activates portals and the a11y bus: not ours.
  await start(FLOOR);
  await start(GENOKEY, { until: 'files-shown' });

  // Xvfb has no GPU: GTK's GL renderer runs on Mesa's llvmpipe, which costs
  // start-up time and ~130 MiB that a desktop with a GPU driver does not
  // pay. So every window is measured both ways.
  const modes = [
    ['GL renderer on llvmpipe (as started here)', {}],
    ['without GL (GDK_DEBUG=gl-disable), as on a GPU-less desktop', { GDK_DEBUG: 'gl-disable' }],
  ];
  const results = [];
  for (const [label, env] of modes) {
    const floor = [];
    const welcome = [];
    const signedIn = [];
    for (let i = 0; i < RUNS; i++) {
      floor.push(await start(FLOOR, { env }));
      welcome.push(await start(GENOKEY, { env: { ...env, XDG_CONFIG_HOME: emptyConfig } }));
      signedIn.push(await start(GENOKEY, { env, until: 'files-shown' }));
    }
    results.push({ label, floor: summary(floor), welcome: summary(welcome), signedIn: summary(signedIn) });
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

  const line = (name, r, floor) =>
    `    ${name.padEnd(34)} first frame ${fmt(r.firstFrame).padStart(5)} ms (${fmt(r.firstFrame / floor.firstFrame, 2)}× floor; median ${fmt(r.firstFrameMedian)} ms)` +
    `   peak RSS ${fmt(r.peak, 1).padStart(6)} MiB (floor ${r.peak >= floor.peak ? '+' : '−'}${fmt(Math.abs(r.peak - floor.peak), 1)} MiB)` +
    `   PSS ${fmt(r.pss, 1)} MiB`;
  console.log(`Start-up, ${RUNS} starts each (first frame: the best start; memory: the median), ` +
              'floor = AdwApplicationWindow + header bar + status page:');
  for (const r of results) {
    const s = r.signedIn;
    console.log(`  ${r.label}:`);
    console.log(`    ${'floor (bench-floor)'.padEnd(34)} first frame ${fmt(r.floor.firstFrame).padStart(5)} ms (median ${fmt(r.floor.firstFrameMedian)} ms)`.padEnd(99) +
                `   peak RSS ${fmt(r.floor.peak, 1).padStart(6)} MiB   PSS ${fmt(r.floor.pss, 1)} MiB`);
    console.log(line('Genokey, welcome page', r.welcome, r.floor));
    console.log(line('Genokey, signed in, files listed', s, r.floor));
    console.log(`    ${''.padEnd(34)} files listed ${fmt(s.until)} ms after the process started (best start)`);
    const frameOk = s.firstFrame / r.floor.firstFrame <= TARGET_FIRST_FRAME_RATIO;
    const rssOk = s.peak - r.floor.peak <= TARGET_RSS_OVER_FLOOR_MIB;
    console.log(`    targets, signed in: first frame ≤ ${TARGET_FIRST_FRAME_RATIO}× floor: ${frameOk ? 'met' : 'MISSED'}; ` +
                `peak RSS ≤ floor + ${TARGET_RSS_OVER_FLOOR_MIB} MiB: ${rssOk ? 'met' : 'MISSED'}`);
    console.log(`    each run (first frame / peak RSS): floor ${r.floor.runs.map((x) => `${fmt(x.firstFrameMs)}/${fmt(x.peakMiB, 1)}`).join(' ')}; ` +
                `welcome ${r.welcome.runs.map((x) => `${fmt(x.firstFrameMs)}/${fmt(x.peakMiB, 1)}`).join(' ')}; ` +
                `signed in ${s.runs.map((x) => `${fmt(x.firstFrameMs)}/${fmt(x.peakMiB, 1)}`).join(' ')}`);
  }
  console.log('IGV desktop 2.16 (Debian), same run:');
  console.log(`  start → first batch-port reply       ${fmt(igvMs)} ms`);
  console.log(`  RSS once started                     ${fmt(igvMiB, 1)} MiB`);
  console.log(`  PSS once started                     ${fmt(igvPssMiB, 1)} MiB`);
  for (const r of results)
    console.log(`Genokey signed in (${r.label.split(' (')[0]}): first frame ${fmt(igvMs / r.signedIn.firstFrame, 1)}× sooner than IGV's port, ` +
                `${fmt(igvMiB / r.signedIn.peak, 1)}× IGV's memory / Genokey's.`);
} finally {
  rmSync(emptyConfig, { recursive: true, force: true });
  await sim.stop();
}
