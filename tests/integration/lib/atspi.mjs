// Reaches a GTK window the way assistive technology does: over AT-SPI, by
// role and accessible name (lib/atspi.py does the AT-SPI calls; see there
// for what GTK 4.8 exposes). Start the application with a11yEnv() so GTK
// registers with the accessibility bus.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

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
    this.driver.on('exit', (code) => {
      for (const p of this.pending.splice(0)) p.reject(new Error(`the AT-SPI driver exited (${code}): ${this.stderr}`));
    });
  }

  // One request; rejects with the driver's message when it fails.
  async request (cmd, query = {}) {
    const answer = await new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
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
  async waitFor (query, timeoutMs = 20000) {
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
        throw new Error(`timed out waiting for ${JSON.stringify(query)}${last ? ` (${last.message})` : ''}`);
      }
      await sleep(250);
    }
  }

  // Waits for the widget, then performs its action.
  async click (query, timeoutMs = 20000) {
    await this.waitFor({ ...query, state: 'sensitive' }, timeoutMs);
    return this.activate(query);
  }

  // Push and toggle buttons with no accessible name (an icon-only button
  // without a label reads as "button" to a screen reader), as
  // "where › it › is" strings.
  async unnamedButtons () {
    const nodes = await this.tree();
    return nodes
      .filter((n) => (n.role === 'push button' || n.role === 'toggle button') && !n.name)
      .map((n) => [...n.within.slice(-3), n.type || n.role].join(' › '));
  }

  close () {
    this.driver.stdin.end();
  }
}
