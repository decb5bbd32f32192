// Reaches a GTK window the way assistive technology does: over AT-SPI, by
// role and accessible name (lib/atspi.py does the AT-SPI calls; see there
// for what GTK 4.8 exposes). Start the application with a11yEnv() so GTK
// registers with the accessibility bus.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { scaled } from './timeouts.mjs';

const here = dirname(fileURLToPath(import.meta.url));
// Debian's python3-gi lives with the system Python, whatever else is on PATH.
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

// The test environment turns the accessibility bridge off for every other
// test (GTK_A11Y=test, NO_AT_BRIDGE=1); this is the environment with it on.
export function a11yEnv (env = process.env) {
  const copy = { ...env };
  delete copy.GTK_A11Y;
  delete copy.NO_AT_BRIDGE;
  return copy;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// One request walks the application's tree over D-Bus; with the sanitizers
// on a loaded machine a big page takes seconds. Past this, the driver or
// the application hangs.
const REQUEST_TIMEOUT_MS = 120_000;
// The default for waitFor() and click().
const WAIT_TIMEOUT_MS = 60_000;

export class Atspi {
  // env: the environment whose session bus the application is on (the
  // test's own by default).
  constructor (pid, env = process.env) {
    this.pid = pid;
    this.driver = spawn(PYTHON, ['-W', 'ignore', join(here, 'atspi.py')],
      { stdio: ['pipe', 'pipe', 'pipe'], env });
    this.stderr = '';
    this.driver.stderr.on('data', (d) => { this.stderr += d; });
    this.pending = [];
    let buffer = '';
    this.driver.stdout.on('data', (d) => {
      buffer += d;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        this.pending.shift()?.resolve(JSON.parse(line));
      }
    });
    this.exited = null;
    this.driver.on('exit', (code, signal) => {
      this.exited = `the AT-SPI driver exited (${signal || `status ${code}`}): ${this.stderr}`;
      for (const p of this.pending.splice(0)) p.reject(new Error(this.exited));
    });
    // Writing to a driver that died must fail the request, not the process.
    this.driver.stdin.on('error', () => {});
  }

  // One request; rejects with the driver's message when it fails, and when
  // the driver died or does not answer in time.
  async request (cmd, query = {}) {
    if (this.exited) throw new Error(this.exited);
    const limit = scaled(REQUEST_TIMEOUT_MS);
    const answer = await new Promise((resolve, reject) => {
      // Answers come in order: one that arrives after its request gave up
      // is taken off the queue and dropped.
      const entry = {
        resolve: (a) => { clearTimeout(entry.timer); resolve(a); },
        reject: (e) => { clearTimeout(entry.timer); reject(e); },
      };
      entry.timer = setTimeout(() => {
        entry.resolve = () => {};
        reject(new Error(`the AT-SPI driver did not answer ${cmd} ${JSON.stringify(query)} within ${limit / 1000} s`));
      }, limit);
      this.pending.push(entry);
      this.driver.stdin.write(JSON.stringify({ cmd, pid: this.pid, ...query }) + '\n');
    });
    if (!answer.ok) throw new Error(answer.error);
    return answer.result;
  }

  find (query) { return this.request('find', query); }
  tree (query = {}) { return this.request('tree', query); }
  focused () { return this.request('focused'); }
  // Performs the widget's first action (a button's "click").
  activate (query) { return this.request('do', query); }

  // Waits until a node matching query is there; returns the first.
  async waitFor (query, timeoutMs = WAIT_TIMEOUT_MS) {
    timeoutMs = scaled(timeoutMs);
    const end = Date.now() + timeoutMs;
    let last;
    for (;;) {
      try {
        const found = await this.find(query);
        if (found.length > 0) return found[0];
      } catch (e) {
        last = e;
      }
      if (Date.now() > end) {
        throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${JSON.stringify(query)}` +
          `${last ? ` (${last.message})` : ''}`);
      }
      await sleep(250);
    }
  }

  // Waits for the widget, then performs its action.
  async click (query, timeoutMs = WAIT_TIMEOUT_MS) {
    await this.waitFor({ ...query, state: 'sensitive' }, timeoutMs);
    return this.activate(query);
  }

  // Push and toggle buttons with no accessible name (an icon-only button
  // without a label reads as "button" to a screen reader), as
  // "where › it › is" strings.
  async unnamedButtons () {
    const nodes = await this.tree({ basic: true });
    return nodes
      .filter((n) => (n.role === 'push button' || n.role === 'toggle button') && !n.name)
      .map((n) => [...n.within.slice(-3), n.type || n.role].join(' › '));
  }

  close () {
    this.driver.stdin.end();
  }
}
