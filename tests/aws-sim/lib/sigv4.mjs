// SigV4 verification for the S3 front, recomputed with node:crypto:
// header form (Authorization) and presigned query form, S3 canonical URI
// rules (decoded once, re-encoded once, never normalised), payload hash,
// clock skew, expiry and session tokens of live credentials.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const MAX_SKEW_MS = 15 * 60 * 1000;
export const UNSIGNED = 'UNSIGNED-PAYLOAD';
export const STREAMING_UNSIGNED_TRAILER = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export class S3Error extends Error {
  constructor (status, code, message, fields = {}, headers = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.headers = headers;
  }
}

// Percent-decodes to bytes; '+' stays '+' (paths) unless plusIsSpace.
export function percentDecode (s, plusIsSpace = false) {
  const out = [];
  const b = Buffer.from(s, 'utf8');
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c === 0x25 && i + 2 < b.length && isHex(b[i + 1]) && isHex(b[i + 2])) {
      out.push(parseInt(String.fromCharCode(b[i + 1], b[i + 2]), 16));
      i += 2;
    } else if (c === 0x2b && plusIsSpace) {
      out.push(0x20);
    } else {
      out.push(c);
    }
  }
  return Buffer.from(out);
}

function isHex (c) {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function isUnreserved (c) {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) ||
    c === 0x2d || c === 0x2e || c === 0x5f || c === 0x7e;
}

// Encodes every byte except A-Za-z0-9-._~ (and '/' when keepSlash).
export function awsEncode (buf, keepSlash) {
  if (typeof buf === 'string') buf = Buffer.from(buf, 'utf8');
  let s = '';
  for (const c of buf) {
    if (isUnreserved(c) || (keepSlash && c === 0x2f)) s += String.fromCharCode(c);
    else s += '%' + c.toString(16).toUpperCase().padStart(2, '0');
  }
  return s;
}

export function splitTarget (url) {
  const i = url.indexOf('?');
  return i < 0 ? { rawPath: url, rawQuery: '' } : { rawPath: url.slice(0, i), rawQuery: url.slice(i + 1) };
}

// Raw query → [[name, value]] decoded (as S3 reads it: '+' is a space).
export function parseQuery (rawQuery) {
  const out = [];
  if (!rawQuery) return out;
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const j = part.indexOf('=');
    const n = j < 0 ? part : part.slice(0, j);
    const v = j < 0 ? '' : part.slice(j + 1);
    out.push([percentDecode(n, true), percentDecode(v, true)]);
  }
  return out;
}

export function canonicalUri (rawPath) {
  return awsEncode(percentDecode(rawPath), true);
}

export function canonicalQuery (pairs, skip = null) {
  return pairs
    .filter(([n]) => skip === null || n.toString('utf8') !== skip)
    .map(([n, v]) => [awsEncode(n, false), awsEncode(v, false)])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([n, v]) => `${n}=${v}`)
    .join('&');
}

function headerValues (rawHeaders) {
  const m = new Map();
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    const v = String(rawHeaders[i + 1]).trim().replace(/\s+/g, ' ');
    if (m.has(name)) m.get(name).push(v);
    else m.set(name, [v]);
  }
  return m;
}

export function canonicalHeaders (rawHeaders, signedHeaders) {
  const m = headerValues(rawHeaders);
  return signedHeaders.map((h) => `${h}:${(m.get(h) || []).join(',')}\n`).join('');
}

function hmac (key, data) {
  return createHmac('sha256', key).update(data).digest();
}

const signingKeyCache = new Map();
export function signingKey (secret, date, region, service) {
  const id = `${secret}\n${date}\n${region}\n${service}`;
  let k = signingKeyCache.get(id);
  if (!k) {
    k = hmac(hmac(hmac(hmac('AWS4' + secret, date), region), service), 'aws4_request');
    if (signingKeyCache.size > 1000) signingKeyCache.clear();
    signingKeyCache.set(id, k);
  }
  return k;
}

function parseAmzDate (s) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s || '');
  if (!m) return null;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
}

function isoDate (ms) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// Which auth the request uses: 'header', 'query' or 'none'.
export function authKind (req, queryPairs) {
  const hasQuery = queryPairs.some(([n]) => n.toString('utf8') === 'X-Amz-Algorithm' || n.toString('utf8') === 'X-Amz-Signature');
  const hasHeader = req.headers.authorization !== undefined;
  if (hasQuery && hasHeader) throw new S3Error(400, 'InvalidArgument', 'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified', { ArgumentName: 'Authorization' });
  return hasHeader ? 'header' : hasQuery ? 'query' : 'none';
}

/**
 * Verifies a request. ctx: { creds (CredentialStore), now (ms),
 * checkRegion(region, form) → throws when the bucket lives elsewhere }.
 * body: Buffer (already read) for header-signed payload checks.
 * Returns { accessKeyId, cred, payloadHash }.
 */
export function verifyRequest (req, { rawPath, queryPairs, kind, body, ctx }) {
  const now = ctx.now;
  const q = new Map(queryPairs.map(([n, v]) => [n.toString('utf8'), v.toString('utf8')]));
  let accessKeyId, scopeDate, region, service, signedHeaders, signature, amzDate, token, payloadHash;
  if (kind === 'header') {
    const auth = req.headers.authorization;
    if (/^AWS /.test(auth)) throw new S3Error(400, 'InvalidRequest', 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.');
    const m = /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+)\s*,\s*SignedHeaders=([^,\s]+)\s*,\s*Signature=([0-9a-f]{64})\s*$/.exec(auth);
    if (!m) {
      const alg = auth.split(/\s/)[0];
      if (alg !== 'AWS4-HMAC-SHA256') throw new S3Error(400, 'InvalidArgument', 'Unsupported Authorization Type', { ArgumentName: 'Authorization', ArgumentValue: alg });
      throw new S3Error(400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed; the authorization header requires three components: Credential, SignedHeaders, and Signature.');
    }
    const parts = m[1].split('/');
    if (parts.length !== 5) throw new S3Error(400, 'AuthorizationHeaderMalformed', `The authorization header is malformed; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`);
    [accessKeyId, scopeDate, region, service] = parts;
    if (parts[4] !== 'aws4_request') throw new S3Error(400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed; incorrect terminal "' + parts[4] + '". This endpoint uses "aws4_request".');
    signedHeaders = m[2].split(';');
    signature = m[3];
    amzDate = req.headers['x-amz-date'];
    token = req.headers['x-amz-security-token'];
    payloadHash = req.headers['x-amz-content-sha256'];
    if (payloadHash === undefined) throw new S3Error(400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
  } else {
    if (q.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') throw new S3Error(400, 'AuthorizationQueryParametersError', 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
    for (const k of ['X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders', 'X-Amz-Expires']) {
      if (!q.has(k)) throw new S3Error(400, 'AuthorizationQueryParametersError', 'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.');
    }
    const parts = q.get('X-Amz-Credential').split('/');
    if (parts.length !== 5 || parts[4] !== 'aws4_request') throw new S3Error(400, 'AuthorizationQueryParametersError', 'Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".');
    [accessKeyId, scopeDate, region, service] = parts;
    signedHeaders = q.get('X-Amz-SignedHeaders').split(';');
    signature = q.get('X-Amz-Signature');
    if (!/^[0-9a-f]{64}$/.test(signature)) throw new S3Error(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
    amzDate = q.get('X-Amz-Date');
    token = q.get('X-Amz-Security-Token');
    payloadHash = q.get('X-Amz-Content-Sha256') || UNSIGNED;
    const exp = q.get('X-Amz-Expires');
    if (!/^\d+$/.test(exp)) throw new S3Error(400, 'AuthorizationQueryParametersError', 'X-Amz-Expires should be a number');
    if (+exp > 604800) throw new S3Error(400, 'AuthorizationQueryParametersError', 'X-Amz-Expires must be less than a week (in seconds) that is; 604800');
    if (+exp < 1) throw new S3Error(400, 'AuthorizationQueryParametersError', 'X-Amz-Expires must be non-negative');
  }
  const malformed = kind === 'header' ? 'AuthorizationHeaderMalformed' : 'AuthorizationQueryParametersError';
  const malformedPrefix = kind === 'header' ? 'The authorization header is malformed; ' : 'Error parsing the X-Amz-Credential parameter; ';
  if (service !== 's3') throw new S3Error(400, malformed, `${malformedPrefix}incorrect service "${service}". This endpoint belongs to "s3".`);
  // The bucket's region decides before anything else, as on AWS.
  ctx.checkRegion(region, kind);

  const t = parseAmzDate(amzDate);
  if (t === null) {
    if (kind === 'header') throw new S3Error(403, 'AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header');
    throw new S3Error(400, 'AuthorizationQueryParametersError', 'X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd\'T\'HHmmss\'Z\'"');
  }
  if (amzDate.slice(0, 8) !== scopeDate) {
    throw new S3Error(400, malformed, `${malformedPrefix}Invalid credential date "${scopeDate}". This date is not the same as X-Amz-Date: "${amzDate.slice(0, 8)}".`);
  }
  if (kind === 'header' || t > now) {
    if (Math.abs(now - t) > MAX_SKEW_MS) {
      throw new S3Error(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', {
        RequestTime: isoDate(t), ServerTime: isoDate(now), MaxAllowedSkewMilliseconds: String(MAX_SKEW_MS),
      });
    }
  }
  if (kind === 'query') {
    const expires = t + Number(q.get('X-Amz-Expires')) * 1000;
    if (now > expires) {
      throw new S3Error(403, 'AccessDenied', 'Request has expired', {
        'X-Amz-Expires': q.get('X-Amz-Expires'), Expires: isoDate(expires), ServerTime: isoDate(now),
      });
    }
  }
  if (!signedHeaders.includes('host')) {
    throw new S3Error(400, malformed, `${malformedPrefix}SignedHeaders must include host`);
  }
  if (kind === 'header') {
    const unsigned = Object.keys(req.headers).filter((h) => h.startsWith('x-amz-') && !signedHeaders.includes(h));
    if (unsigned.length) throw new S3Error(403, 'AccessDenied', 'There were headers present in the request which were not signed', { HeadersNotSigned: unsigned.join(', ') });
  }

  // Credentials: the session token must belong to live credentials.
  let cred;
  if (token !== undefined && token !== null) {
    cred = ctx.creds.byToken.get(token);
    if (!cred || cred.accessKeyId !== accessKeyId) throw new S3Error(400, 'InvalidToken', 'The provided token is malformed or otherwise invalid.', { Token: '(withheld)' });
    if (cred.expiration && cred.expiration.getTime() <= now) throw new S3Error(400, 'ExpiredToken', 'The provided token has expired.', { Token: '(withheld)' });
  } else {
    cred = ctx.creds.byKey.get(accessKeyId);
    if (!cred || cred.sessionToken) throw new S3Error(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', { AWSAccessKeyId: accessKeyId });
  }

  // Payload hash (header form).
  if (kind === 'header') {
    if (payloadHash !== UNSIGNED && payloadHash !== STREAMING_UNSIGNED_TRAILER) {
      if (payloadHash.startsWith('STREAMING-')) throw new S3Error(501, 'NotImplemented', `x-amz-content-sha256 ${payloadHash} is not implemented by the stand-in`);
      if (!/^[0-9a-f]{64}$/.test(payloadHash)) throw new S3Error(400, 'InvalidArgument', 'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, or a valid sha256 value.', { ArgumentName: 'x-amz-content-sha256', ArgumentValue: payloadHash });
      const actual = body && body.length ? createHash('sha256').update(body).digest('hex') : EMPTY_SHA256;
      if (actual !== payloadHash) {
        throw new S3Error(400, 'XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", {
          ClientComputedContentSHA256: payloadHash, S3ComputedContentSHA256: actual,
        });
      }
    }
  }

  const canonical = [
    req.method,
    canonicalUri(rawPath),
    canonicalQuery(queryPairs, kind === 'query' ? 'X-Amz-Signature' : null),
    canonicalHeaders(req.rawHeaders, signedHeaders),
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
  const scope = `${scopeDate}/${region}/${service}/aws4_request`;
  const stringToSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${createHash('sha256').update(canonical).digest('hex')}`;
  const expected = createHmac('sha256', signingKey(cred.secretAccessKey, scopeDate, region, service)).update(stringToSign).digest();
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new S3Error(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', {
      AWSAccessKeyId: accessKeyId,
      StringToSign: stringToSign,
      StringToSignBytes: hexBytes(stringToSign),
      CanonicalRequest: canonical,
      CanonicalRequestBytes: hexBytes(canonical),
    });
  }
  return { accessKeyId, cred, payloadHash, region };
}

function hexBytes (s) {
  return Buffer.from(s, 'utf8').toString('hex').replace(/(..)(?!$)/g, '$1 ');
}

// Decodes an aws-chunked body (unsigned chunks with optional trailers).
export function decodeAwsChunked (buf) {
  const out = [];
  let i = 0;
  for (;;) {
    const eol = buf.indexOf('\r\n', i);
    if (eol < 0) throw new S3Error(400, 'IncompleteBody', 'The request body terminated unexpectedly');
    const line = buf.subarray(i, eol).toString('latin1');
    const size = parseInt(line.split(';')[0], 16);
    if (!Number.isFinite(size) || size < 0) throw new S3Error(400, 'InvalidRequest', 'Malformed aws-chunked body');
    i = eol + 2;
    if (size === 0) break;
    out.push(buf.subarray(i, i + size));
    i += size + 2;
  }
  return Buffer.concat(out);
}

// ---- query-API services (STS AssumeRole, IAM) -----------------------------

// An error of a query-API service (STS, IAM): answered as an ErrorResponse
// document by the service that throws it.
export class QueryApiError extends Error {
  constructor (status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

// The canonical URI of services other than S3: the path is normalised and
// each segment encoded twice (SigV4's rule for everything but S3). The
// query-API services are called on "/", so this is mostly that.
function canonicalUriNormalised (rawPath) {
  const segments = [];
  for (const s of percentDecode(rawPath).toString('utf8').split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..') segments.pop();
    else segments.push(s);
  }
  const path = '/' + segments.join('/') + (rawPath.endsWith('/') && segments.length ? '/' : '');
  return awsEncode(awsEncode(path, true), true);
}

/**
 * Verifies a SigV4 header-signed request to a query-API service, the way
 * STS and IAM do: the credential scope's service and region, the clock, the
 * access key (long-term, or temporary with its session token) and the
 * signature over the body's hash. ctx: { creds, now (ms), service, region }.
 * Returns the caller's credentials record.
 */
export function verifyQueryApiRequest (req, rawPath, queryPairs, body, ctx) {
  const auth = req.headers.authorization;
  if (auth === undefined) {
    throw new QueryApiError(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
  }
  const m = /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+)\s*,\s*SignedHeaders=([^,\s]+)\s*,\s*Signature=([0-9a-f]{64})\s*$/.exec(auth);
  if (!m) throw new QueryApiError(400, 'IncompleteSignature', `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters. Authorization=${auth.split(/\s/)[0]}`);
  const parts = m[1].split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request') {
    throw new QueryApiError(400, 'IncompleteSignature', 'Credential should be scoped to correct service and terminated by aws4_request.');
  }
  const [accessKeyId, scopeDate, region, service] = parts;
  if (service !== ctx.service) {
    throw new QueryApiError(403, 'SignatureDoesNotMatch', `Credential should be scoped to correct service: '${ctx.service}'. `);
  }
  if (region !== ctx.region) {
    throw new QueryApiError(403, 'SignatureDoesNotMatch', `Credential should be scoped to a valid region. `);
  }
  const amzDate = req.headers['x-amz-date'];
  const t = parseAmzDate(amzDate);
  if (t === null) throw new QueryApiError(400, 'IncompleteSignature', 'Authorization header requires existence of either a \'X-Amz-Date\' or a \'Date\' header.');
  if (amzDate.slice(0, 8) !== scopeDate) {
    throw new QueryApiError(403, 'SignatureDoesNotMatch', `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`);
  }
  if (Math.abs(ctx.now - t) > MAX_SKEW_MS) {
    throw new QueryApiError(403, 'SignatureDoesNotMatch', `Signature expired: ${amzDate} is now earlier than ${isoDate(ctx.now - MAX_SKEW_MS).replace(/[-:]/g, '')}.`);
  }
  const signedHeaders = m[2].split(';');
  if (!signedHeaders.includes('host')) throw new QueryApiError(403, 'SignatureDoesNotMatch', "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");

  const token = req.headers['x-amz-security-token'];
  const cred = ctx.creds.byKey.get(accessKeyId);
  if (!cred || (token !== undefined && cred.sessionToken !== token) || (token === undefined && cred.sessionToken)) {
    throw new QueryApiError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
  }
  if (cred.status === 'Inactive') {
    throw new QueryApiError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
  }
  if (cred.expiration && cred.expiration.getTime() <= ctx.now) {
    throw new QueryApiError(400, 'ExpiredToken', 'The security token included in the request is expired');
  }

  const payloadHash = req.headers['x-amz-content-sha256'] || createHash('sha256').update(body || '').digest('hex');
  const canonical = [
    req.method,
    canonicalUriNormalised(rawPath),
    canonicalQuery(queryPairs),
    canonicalHeaders(req.rawHeaders, signedHeaders),
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
  const scope = `${scopeDate}/${region}/${service}/aws4_request`;
  const stringToSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${createHash('sha256').update(canonical).digest('hex')}`;
  const expected = createHmac('sha256', signingKey(cred.secretAccessKey, scopeDate, region, service)).update(stringToSign).digest();
  const given = Buffer.from(m[3], 'hex');
  if (!timingSafeEqual(given, expected)) {
    throw new QueryApiError(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.');
  }
  return cred;
}

// Reads a query-API request's parameters: the form body of a POST, or the
// query string of a GET (AWS accepts both).
export function queryApiParams (req, rawQuery, body) {
  if (req.method === 'POST') {
    const ct = (req.headers['content-type'] || '').split(';')[0].trim();
    if (ct !== 'application/x-www-form-urlencoded') {
      throw new QueryApiError(400, 'InvalidParameterValue', 'Content-Type must be application/x-www-form-urlencoded');
    }
    const params = new URLSearchParams(body.toString('utf8'));
    for (const [k, v] of new URLSearchParams(rawQuery)) if (!params.has(k)) params.set(k, v);
    return params;
  }
  if (req.method === 'GET') return new URLSearchParams(rawQuery);
  throw new QueryApiError(400, 'InvalidAction', 'Could not find operation for this request');
}
