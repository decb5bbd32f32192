// Shared pieces of the stand-in's faithfulness tests.
import { request } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { S3Client } from '@aws-sdk/client-s3';
import { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import { STSClient } from '@aws-sdk/client-sts';

// The SDK warns about Node 20 on every client; the tests do not care.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

// Cognito Identity and STS calls used here are unsigned; the SDK still
// wants some credentials configured, which it does not send.
const UNUSED = { accessKeyId: 'AKIDUNUSED', secretAccessKey: 'unused' };

export function s3Client (sim, credentials, region = 'us-east-1', extra = {}) {
  return new S3Client({ region, endpoint: sim.info.s3_endpoint, forcePathStyle: true, credentials, maxAttempts: 1, ...extra });
}

export function identityClient (sim) {
  return new CognitoIdentityClient({ region: sim.info.region, endpoint: sim.info.cognito_identity_endpoint, credentials: UNUSED, maxAttempts: 1 });
}

export function stsClient (sim) {
  return new STSClient({ region: sim.info.region, endpoint: sim.info.sts_endpoint, credentials: UNUSED, maxAttempts: 1 });
}

export function signer (credentials, region = 'us-east-1') {
  return new SignatureV4({ credentials, region, service: 's3', sha256: Sha256, uriEscapePath: false, applyChecksum: true });
}

// Signs { method, path (already encoded, sent as is), query, headers, body }
// with the SDK signer (header form) against the S3 endpoint.
export async function signedRequest (sim, credentials, { method = 'GET', path, query = {}, headers = {}, body, region = 'us-east-1', signingDate, unsignedPayload = false }) {
  const u = new URL(sim.info.s3_endpoint);
  const req = {
    method,
    protocol: 'http:',
    hostname: u.hostname,
    port: Number(u.port),
    path,
    query,
    headers: { host: u.host, ...headers },
    body,
  };
  if (unsignedPayload) req.headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
  else {
    const h = new Sha256();
    h.update(body ?? '');
    req.headers['x-amz-content-sha256'] = Buffer.from(await h.digest()).toString('hex');
  }
  return signer(credentials, region).sign(req, { signingDate });
}

export function queryString (query) {
  return Object.entries(query).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

// Sends exactly the given path/query (no URL normalisation).
export function send (sim, { method, path, query, headers, body }, rawTarget = null) {
  const u = new URL(sim.info.s3_endpoint);
  const target = rawTarget ?? (path + (query && Object.keys(query).length ? '?' + queryString(query) : ''));
  return new Promise((resolve, reject) => {
    const r = request({ host: u.hostname, port: u.port, method, path: target, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    r.on('error', reject);
    r.end(body);
  });
}

export function rawGet (url, headers = {}) {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const r = request({ host: u.hostname, port: u.port, method: 'GET', path: url.slice(url.indexOf('/', 8)), headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    r.on('error', reject);
    r.end();
  });
}

export function xmlField (xml, tag) {
  const m = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(xml);
  return m ? m[1].replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"') : null;
}
