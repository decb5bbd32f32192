// Small helpers shared by the stand-in's services.
import { randomBytes, randomUUID, createHash } from 'node:crypto';
import { createServer } from 'node:http';

export function xmlEscape (s) {
  return String(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export function htmlEscape (s) {
  return xmlEscape(s);
}

export function readBody (req, limit = 64 * 1024 * 1024) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > limit) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function sha256Hex (data) {
  return createHash('sha256').update(data).digest('hex');
}

export function requestId () {
  return randomBytes(8).toString('hex').toUpperCase();
}

export function uuid () {
  return randomUUID();
}

// A UUID derived from a string (stable identity ids per user).
export function stableUuid (seed) {
  const h = createHash('sha256').update(seed).digest();
  h[6] = (h[6] & 0x0f) | 0x40;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export function randomUpper (n) {
  const b = randomBytes(n);
  let s = '';
  for (let i = 0; i < n; i++) s += B32[b[i] & 31];
  return s;
}

export function randomAlnumLower (n) {
  const a = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const b = randomBytes(n);
  let s = '';
  for (let i = 0; i < n; i++) s += a[b[i] % a.length];
  return s;
}

export function b64url (buf) {
  return Buffer.from(buf).toString('base64url');
}

// How long every answer waits, shared by one stand-in's services and
// changed while they run (sim.setLatency, --latency-ms): real S3, STS and
// Cognito answer a lab's desktop in 20–80 ms, the stand-in in 1–2 ms, and
// code that asks one question after another only shows its cost at the
// real figure.
export class Latency {
  constructor (ms = 0) {
    this.ms = 0;
    this.set(ms);
  }

  set (ms) {
    const n = Number(ms);
    if (!Number.isInteger(n) || n < 0 || n > 60000) {
      throw new RangeError(`latency must be a whole number of milliseconds from 0 to 60000, not ${ms}`);
    }
    this.ms = n;
  }

  // Half the latency on the way in, half on the way out, as on a network:
  // a request is handled (an upload stored) before its answer arrives, so a
  // client that gives up meanwhile meets what real S3 would have done. At
  // 0 ms there is no timer, so nothing changes for tests without latency.
  delay (res) {
    const ms = this.ms;
    if (ms === 0) return null;
    const inward = Math.floor(ms / 2);
    const outward = ms - inward;
    const end = res.end.bind(res);
    // Headers go out with the body, so holding end() holds the answer.
    res.end = (...args) => {
      setTimeout(() => end(...args), outward);
      return res;
    };
    return inward > 0 ? new Promise((resolve) => setTimeout(resolve, inward)) : null;
  }
}

// The stand-in's own clock, shared by its services and changed while they
// run (sim.setClockOffset, --clock-offset): AWS's clocks are right, so a
// stand-in whose clock runs ahead or behind is what a computer with a wrong
// clock sees. Every answer's Date header and S3's signature-time checks
// follow it.
export class Clock {
  constructor (offsetSeconds = 0) {
    this.offsetMs = 0;
    this.set(offsetSeconds);
  }

  set (offsetSeconds) {
    const n = Number(offsetSeconds);
    if (!Number.isInteger(n) || Math.abs(n) > 7 * 86400) {
      throw new RangeError(`the clock offset must be a whole number of seconds within a week, not ${offsetSeconds}`);
    }
    this.offsetMs = n * 1000;
  }

  get offsetSeconds () {
    return this.offsetMs / 1000;
  }

  now () {
    return Date.now() + this.offsetMs;
  }
}

// Listens on 127.0.0.1 with a random port; resolves to { server, port, url }.
// With @latency (a Latency), each answer comes that much later, as over a
// real network (see Latency.delay); with @clock (a Clock), answers carry its
// time in their Date header.
export async function listen (handler, { latency = null, clock = null } = {}) {
  const server = createServer((req, res) => {
    const delay = latency ? latency.delay(res) : null;
    if (clock && clock.offsetMs !== 0) res.setHeader('date', new Date(clock.now()).toUTCString());
    Promise.resolve(delay)
      .then(() => handler(req, res))
      .catch((err) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end('internal error in the AWS stand-in: ' + err.message + '\n');
        } else {
          res.destroy();
        }
        process.emitWarning(`aws-sim: ${err.stack}`);
      });
  });
  // Long enough that clients (which keep idle sockets) never race the
  // server closing one; stop() closes every connection anyway.
  server.keepAliveTimeout = 65000;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const port = server.address().port;
  return { server, port, url: `http://127.0.0.1:${port}` };
}

// Closes the port and every connection; never waits more than a second
// for a straggler.
export function closeServer (server) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 1000);
    timer.unref();
    server.close(() => { clearTimeout(timer); resolve(); });
    server.closeAllConnections();
  });
}

export function isoNoMillis (ms) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function parseForm (buf) {
  return new URLSearchParams(buf.toString('utf8'));
}
