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

// Listens on 127.0.0.1 with a random port; resolves to { server, port, url }.
export async function listen (handler) {
  const server = createServer((req, res) => {
    Promise.resolve()
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
