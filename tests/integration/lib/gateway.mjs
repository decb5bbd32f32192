// The gateway's service as a desktop session runs it, inside the private
// D-Bus session of keyring-session.sh: a D-Bus service file for the
// application (so `genokey link` starts it, as on an installed system), the
// gateway port in a GSettings key file (kept across restarts), and raw
// HTTP to the gateway for requests no well-behaved client would send.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort, run, GENOKEY } from './genokey-cli.mjs';
import { scaled } from './timeouts.mjs';

export const APP_ID = process.env.GK_APP_ID || 'io.github.genokey.Genokey';

/**
 * Lets D-Bus start `genokey --gapplication-service` for the app id, with
 * the gateway on @port (a fresh free port when not given). Returns the port.
 */
export async function installService ({ port } = {}) {
  port = port ?? await freePort();
  const services = join(process.env.XDG_DATA_HOME, 'dbus-1', 'services');
  mkdirSync(services, { recursive: true });
  writeFileSync(join(services, `${APP_ID}.service`),
    `[D-BUS Service]\nName=${APP_ID}\nExec=${GENOKEY} --gapplication-service\n`);
  // GSettings in a key file, so the port survives the service's restarts
  // the way dconf keeps it on a desktop.
  const settings = join(process.env.XDG_CONFIG_HOME, 'glib-2.0', 'settings');
  mkdirSync(settings, { recursive: true });
  const group = APP_ID.replace(/\./g, '/');
  writeFileSync(join(settings, 'keyfile'), `[${group}]\ngateway-port=uint16 ${port}\n`);
  const r = await run('dbus-update-activation-environment', ['GSETTINGS_BACKEND=keyfile']);
  assert.equal(r.status, 0, r.stderr);
  return port;
}

/** The pid of whoever owns the app id on the session bus, or null. */
export async function servicePid () {
  const r = await run('gdbus', ['call', '--session', '--dest', 'org.freedesktop.DBus',
    '--object-path', '/org/freedesktop/DBus', '--method',
    'org.freedesktop.DBus.GetConnectionUnixProcessID', APP_ID]);
  const m = /\(uint32 (\d+),\)/.exec(r.stdout);
  return m ? Number(m[1]) : null;
}

/** Waits until @check() holds, polling; fails naming @what after @timeout
 * (scaled, see timeouts.mjs). */
export async function waitFor (what, check, { timeout = 60_000, interval = 100 } = {}) {
  const start = Date.now();
  const limit = scaled(timeout);
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - start > limit) assert.fail(`gave up after ${limit} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** Kills the service (SIGKILL, as a crash would) and waits for its name to go. */
export async function killService () {
  const pid = await servicePid();
  assert.ok(pid, 'the service runs');
  process.kill(pid, 'SIGKILL');
  await waitFor('the service to leave the bus', async () => (await servicePid()) === null);
  return pid;
}

/** `genokey link` → { url, index_url } (checked to have succeeded). */
export async function link (profile, uri, { withIndex = false, env = {} } = {}) {
  const r = await run(GENOKEY, ['link', '--profile', profile, '--json', ...(withIndex ? ['--with-index'] : []), uri],
    { env, timeout: 240_000 });
  assert.equal(r.status, 0, `genokey link ${uri} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim());
}

/**
 * Sends @text as is on a new connection to 127.0.0.1:@port and resolves
 * the first answer: { status, headers (lower-case names), body (Buffer),
 * closed (the gateway closed afterwards) }.
 */
export function raw (port, text, { timeout = 30_000, head = false } = {}) {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = Buffer.alloc(0);
    let answer = null;
    const timer = setTimeout(() => { socket.destroy(); reject(new Error(`no answer from the gateway within ${timeout} ms to: ${text.split('\r\n')[0]}`)); }, timeout);
    const finish = (closed) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...answer, closed });
    };
    socket.on('error', (e) => { clearTimeout(timer); reject(e); });
    socket.on('connect', () => socket.write(text));
    socket.on('data', (d) => {
      data = Buffer.concat([data, d]);
      if (answer === null) {
        const end = data.indexOf('\r\n\r\n');
        if (end < 0) return;
        const lines = data.subarray(0, end).toString('latin1').split('\r\n');
        const headers = {};
        for (const line of lines.slice(1)) {
          const colon = line.indexOf(':');
          headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
        }
        answer = { status: Number(lines[0].split(' ')[1]), headers, length: head ? 0 : Number(headers['content-length'] ?? 0) };
        data = data.subarray(end + 4);
      }
      if (answer && data.length >= answer.length) {
        answer.body = data.subarray(0, answer.length);
        finish(false);
      }
    });
    socket.on('end', () => {
      if (answer) { answer.body = data; finish(true); } else { clearTimeout(timer); resolve({ status: 0, closed: true, headers: {}, body: data }); }
    });
  });
}

/** A GET (or other) request line and Host for the gateway at @port. */
export function request (port, path, { method = 'GET', headers = {}, host = `127.0.0.1:${port}` } = {}) {
  const lines = [`${method} ${path} HTTP/1.1`, `Host: ${host}`, 'Connection: close',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  return lines.join('\r\n') + '\r\n\r\n';
}

export function pathOf (url) {
  return new URL(url).pathname;
}
