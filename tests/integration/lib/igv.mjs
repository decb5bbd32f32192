// Real IGV desktop (Debian's `igv`, 2.16) for tests: under xvfb-run, with a
// throw-away home (IGV ignores $HOME and reads user.home), its batch port on
// a random free port, and preferences that keep it from trying the genome
// server (this machine is offline, and the "could not connect" dialog is
// modal: it stops IGV from loading sessions).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, readFileSync, existsSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';

export const IGV_COMMAND = process.env.IGV_COMMAND || 'igv';

export function freePort () {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Makes IGV's home: prefs.properties with the port, a local genome list
 * holding @genomePath, and that genome as the default.
 * Returns { home, igvDir, env } where env has JAVA_TOOL_OPTIONS.
 */
export function makeIgvHome ({ port, genomePath }) {
  const home = mkdtempSync(join(tmpdir(), 'gk-igv-home-'));
  const igvDir = join(home, 'igv');
  mkdirSync(igvDir, { recursive: true });
  const genomes = join(igvDir, 'genomes.tsv');
  writeFileSync(genomes, `Demo genome\t${genomePath}\tdemo\n`);
  writeFileSync(join(igvDir, 'prefs.properties'), [
    'SHOW_GENOME_SERVER_WARNING=false',
    `PORT_NUMBER=${port}`,
    'PORT_ENABLED=true',
    `IGV.genome.sequence.dir=${genomes}`,
    'AUTO_UPDATE_GENOMES=FALSE',
    `DEFAULT_GENOME_KEY=${genomePath}`,
    '',
  ].join('\n'));
  const env = {
    ...process.env,
    JAVA_TOOL_OPTIONS: `-Duser.home=${home} -Djava.util.prefs.userRoot=${home}`,
  };
  return { home, igvDir, env };
}

/** Writes a script that starts IGV under Xvfb, for `genokey igv --igv-command`. */
export function writeIgvLauncher (home) {
  const path = join(home, 'start-igv.sh');
  writeFileSync(path, [
    '#!/bin/sh',
    `echo $$ > '${join(home, 'igv.pid')}'`,
    `exec xvfb-run -a -s '-screen 0 1280x800x24' ${IGV_COMMAND} "$@" > '${join(home, 'igv-stdout.log')}' 2>&1`,
    '',
  ].join('\n'), { mode: 0o755 });
  return path;
}

/** One batch conversation: sends each command, reads one reply line each. */
export function igvCommands (port, commands, { timeout = 30000 } = {}) {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const replies = [];
    let buffer = '';
    let i = 0;
    const timer = setTimeout(() => { socket.destroy(); reject(new Error(`IGV did not answer ${commands[i]?.split(' ')[0]} in time`)); }, timeout);
    socket.setEncoding('utf8');
    socket.on('error', (e) => { clearTimeout(timer); reject(e); });
    socket.on('connect', () => socket.write(commands[0] + '\n'));
    socket.on('data', (d) => {
      buffer += d;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        replies.push(buffer.slice(0, nl).trim());
        buffer = buffer.slice(nl + 1);
        i++;
        if (i < commands.length) socket.write(commands[i] + '\n');
        else { clearTimeout(timer); socket.end(); resolve(replies); return; }
      }
    });
  });
}

/** Polls `echo` until IGV answers; returns milliseconds waited. */
export async function waitForIgv (port, { timeout = 120000 } = {}) {
  const start = Date.now();
  for (;;) {
    try {
      const [r] = await igvCommands(port, ['echo'], { timeout: 3000 });
      if (r === 'echo') return Date.now() - start;
    } catch {}
    if (Date.now() - start > timeout) throw new Error(`IGV did not open port ${port} within ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Starts IGV (optionally with a session or file argument). */
export function startIgv ({ env, home }, args = []) {
  const launcher = writeIgvLauncher(home);
  const child = spawn(launcher, args, { env, stdio: 'ignore', detached: true });
  return child;
}

/** Resident set size of the IGV JVM whose user.home is @home, in MiB. */
/** The pid of the IGV started with @home, or null. */
export function igvPid (home) {
  try {
    const out = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
    for (const line of out.split('\n')) {
      if (line.includes('igv.jar') || (line.includes('java') && line.includes('org.broad.igv'))) {
        const pid = line.trim().split(/\s+/)[0];
        const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
        if (environ.includes(home)) return Number(pid);
      }
    }
  } catch {}
  return null;
}

/** Resident (RSS) and proportional (PSS: shared pages split among their
 * users) memory of a process, in MiB, or nulls. */
export function memoryMiB (pid) {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(rollup)[1]) / 1024;
    return { rss: field('Rss'), pss: field('Pss') };
  } catch {
    return { rss: null, pss: null };
  }
}

export function igvRssMiB (home) {
  const pid = igvPid(home);
  const { rss } = pid ? memoryMiB(pid) : { rss: null };
  return rss === null ? null : Math.round(rss);
}

/** Asks IGV to exit, then kills whatever of it is left. */
export async function stopIgv ({ port, home }) {
  try { await igvCommands(port, ['exit'], { timeout: 2000 }); } catch {}
  await new Promise((r) => setTimeout(r, 500));
  const pidFile = join(home, 'igv.pid');
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8'));
    try { process.kill(-pid, 'SIGTERM'); } catch {}
    try { process.kill(pid, 'SIGTERM'); } catch {}
    // xvfb-run's Xvfb stays in the launcher's process group.
    await new Promise((r) => setTimeout(r, 500));
    try { process.kill(-pid, 'SIGKILL'); } catch {}
  }
  // The JVM may have been reparented: find it by its home.
  try {
    const out = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
    for (const line of out.split('\n')) {
      if (line.includes(`-Duser.home=${home}`) || line.includes('igv.jar')) {
        const pid = Number(line.trim().split(/\s+/)[0]);
        try {
          const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
          if (environ.includes(home)) process.kill(pid, 'SIGKILL');
        } catch {}
      }
    }
  } catch {}
}

export function removeHome (home) {
  rmSync(home, { recursive: true, force: true });
}

// A small PNG reader (8-bit RGB/RGBA, non-interlaced — what Java's ImageIO
// writes for IGV's snapshots), enough to look at pixels.
export function decodePng (bytes) {
  if (bytes.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let pos = 8;
  let width, height, bitDepth, colorType, interlace;
  const idat = [];
  while (pos < bytes.length) {
    const len = bytes.readUInt32BE(pos);
    const type = bytes.toString('latin1', pos + 4, pos + 8);
    const data = bytes.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0); height = data.readUInt32BE(4);
      bitDepth = data[8]; colorType = data[9]; interlace = data[12];
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    pos += 12 + len;
  }
  if (bitDepth !== 8 || interlace !== 0 || ![2, 6].includes(colorType)) {
    throw new Error(`unsupported PNG: depth ${bitDepth}, color type ${colorType}, interlace ${interlace}`);
  }
  const bpp = colorType === 6 ? 4 : 3;
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const pixels = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? pixels[y * stride + x - bpp] : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x] : 0;
      const c = x >= bpp && y > 0 ? pixels[(y - 1) * stride + x - bpp] : 0;
      let v = line[x];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      pixels[y * stride + x] = v & 0xff;
    }
  }
  return { width, height, bpp, pixels };
}

/**
 * Counts the pixels of an IGV snapshot that look like aligned reads: the
 * greys IGV draws reads and coverage in (not the white background, not the
 * black text and lines), right of the name panel.
 */
export function countReadPixels (png) {
  const { width, height, bpp, pixels } = png;
  let n = 0;
  for (let y = 0; y < height; y++) {
    for (let x = Math.floor(width * 0.16); x < width; x++) {
      const i = (y * width + x) * bpp;
      const r = pixels[i], g = pixels[i + 1], b = pixels[i + 2];
      if (Math.abs(r - g) < 12 && Math.abs(g - b) < 12 && r >= 150 && r <= 215) n++;
    }
  }
  return n;
}
