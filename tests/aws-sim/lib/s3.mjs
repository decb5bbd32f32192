// A small S3 (path-style) with its own object store, behind the SigV4
// verifier. Every request is recorded in `log` without signatures or
// tokens.
import { createHash } from 'node:crypto';
import { listen, readBody, requestId, xmlEscape } from './util.mjs';
import {
  S3Error, authKind, decodeAwsChunked, parseQuery, percentDecode, splitTarget, verifyRequest,
  STREAMING_UNSIGNED_TRAILER,
} from './sigv4.mjs';

const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';
const OWNER_ID = '75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a';
const SECRET_QUERY = new Set(['X-Amz-Signature', 'X-Amz-Security-Token', 'X-Amz-Credential']);

function httpDate (d) {
  return d.toUTCString();
}

function isoMillis (d) {
  return d.toISOString();
}

// S3's encoding-type=url: like a form encoding, keeping '/'. Most keys
// need nothing of it.
function urlEncodeKey (s) {
  if (/^[A-Za-z0-9/._~-]*$/.test(s)) return s;
  return encodeURIComponent(s).replace(/%2F/g, '/').replace(/%20/g, '+')
    .replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

export class S3Service {
  constructor ({ creds, defaultRegion, regionErrors = 'redirect', now = () => Date.now(), latency = null, clock = null }) {
    this.creds = creds;
    this.latency = latency;
    this.clock = clock;
    this.regionErrors = regionErrors;
    this.defaultRegion = defaultRegion;
    this.now = now;
    this.buckets = new Map(); // name → { name, region, created, objects: Map, cors: null|rules }
    this.listingDenied = new Set(); // buckets whose credentials lack s3:ListBucket
    // Whether the callers' roles have s3:ListAllMyBuckets: a least-privilege
    // role does not, and ListBuckets is then AccessDenied.
    this.listAllBuckets = true;
    this.log = [];
  }

  async start () {
    const { server, url } = await listen((req, res) => this.handle(req, res), { latency: this.latency, clock: this.clock });
    this.server = server;
    this.endpoint = url;
    return this;
  }

  createBucket (name, region = this.defaultRegion) {
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name)) throw new Error(`invalid bucket name: ${name}`);
    if (!this.buckets.has(name)) {
      // versioning: null until it was first set (S3 then answers an empty
      // VersioningConfiguration), else 'Enabled' or 'Suspended'.
      this.buckets.set(name, { name, region, created: new Date(this.now()), objects: new Map(), cors: null, versioning: null, sorted: null });
    } else {
      this.buckets.get(name).region = region;
    }
    return this.buckets.get(name);
  }

  putObject (bucket, key, bytes, { contentType = 'application/octet-stream', metadata = {} } = {}) {
    const b = this.buckets.get(bucket) || this.createBucket(bucket);
    const body = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes);
    const etag = '"' + createHash('md5').update(body).digest('hex') + '"';
    if (!b.objects.has(key)) b.sorted = null;
    b.objects.set(key, { body, etag, lastModified: new Date(Math.floor(this.now() / 1000) * 1000), contentType, metadata });
    return etag;
  }

  setBucketCors (bucket, rules) {
    const b = this.buckets.get(bucket);
    if (!b) throw new Error(`no such bucket: ${bucket}`);
    b.cors = rules && rules.length ? rules.map(normaliseRule) : null;
  }

  setBucketVersioning (bucket, status) {
    const b = this.buckets.get(bucket);
    if (!b) throw new Error(`no such bucket: ${bucket}`);
    if (status !== 'Enabled' && status !== 'Suspended') throw new Error(`versioning is Enabled or Suspended, not ${status}`);
    b.versioning = status;
  }

  requirePrincipalTag (bucket, key, value) {
    const b = this.buckets.get(bucket);
    if (!b) throw new Error(`no such bucket: ${bucket}`);
    b.requiredTag = key === null ? null : { key, value };
  }

  sortedKeys (b) {
    if (!b.sorted) b.sorted = [...b.objects.keys()].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    return b.sorted;
  }

  // ---- request handling -------------------------------------------------

  async handle (req, res) {
    const rid = requestId();
    const { rawPath, rawQuery } = splitTarget(req.url);
    const entry = { time: new Date().toISOString(), method: req.method, bucket: null, key: null, query: {}, status: 0, range: req.headers.range || null, auth: 'none', accessKeyId: null, error: null };
    this.log.push(entry);
    let queryPairs, bucketName, key;
    const headers = { 'x-amz-request-id': rid, 'x-amz-id-2': 'stand-in/' + rid };
    try {
      queryPairs = parseQuery(rawQuery);
      for (const [n, v] of queryPairs) {
        const name = n.toString('utf8');
        entry.query[name] = SECRET_QUERY.has(name) ? '(withheld)' : v.toString('utf8');
      }
      if (!rawPath.startsWith('/')) throw new S3Error(400, 'InvalidURI', "Couldn't parse the specified URI.");
      const path = rawPath.slice(1);
      const slash = path.indexOf('/');
      bucketName = percentDecode(slash < 0 ? path : path.slice(0, slash)).toString('utf8') || null;
      key = slash < 0 ? null : percentDecode(path.slice(slash + 1)).toString('utf8');
      if (key === '') key = null;
      entry.bucket = bucketName;
      entry.key = key;
      const q = new Map(queryPairs.map(([n, v]) => [n.toString('utf8'), v.toString('utf8')]));
      const bucket = bucketName ? this.buckets.get(bucketName) : null;
      if (bucket) headers['x-amz-bucket-region'] = bucket.region;

      if (req.method === 'OPTIONS') {
        await readBody(req);
        return this.preflight(req, res, bucket, bucketName, headers, entry);
      }
      if (bucket) Object.assign(headers, this.corsHeaders(req, bucket));

      const kind = authKind(req, queryPairs);
      entry.auth = kind;
      let body = await readBody(req);
      if (kind === 'none') throw new S3Error(403, 'AccessDenied', 'Access Denied');
      const v = verifyRequest(req, {
        rawPath,
        queryPairs,
        kind,
        body,
        ctx: {
          creds: this.creds,
          now: this.now(),
          checkRegion: (region, form) => this.checkRegion(req, bucket, region, form),
        },
      });
      entry.accessKeyId = v.accessKeyId;
      if (v.cred.status === 'Inactive') throw new S3Error(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', { AWSAccessKeyId: v.accessKeyId });
      // A bucket policy that allows only sessions tagged key=value
      // (Condition aws:PrincipalTag), which session tags satisfy.
      if (bucket && bucket.requiredTag && v.cred.tags?.[bucket.requiredTag.key] !== bucket.requiredTag.value) {
        throw new S3Error(403, 'AccessDenied', 'Access Denied');
      }
      this.creds.markUsed(v.cred, 's3', v.region);
      if (v.payloadHash === STREAMING_UNSIGNED_TRAILER || /aws-chunked/.test(req.headers['content-encoding'] || '')) {
        body = decodeAwsChunked(body);
      }
      await this.dispatch(req, res, { bucket, bucketName, key, q, body, headers, entry });
    } catch (e) {
      if (!(e instanceof S3Error)) throw e;
      entry.status = e.status;
      entry.error = e.code;
      Object.assign(headers, e.headers);
      this.sendError(req, res, e, headers, rid, bucketName, key);
    }
  }

  // A request signed for the wrong region: 'redirect' answers like AWS's
  // global/other-region endpoint (301 PermanentRedirect), 'malformed' like
  // the bucket's own endpoint (400 naming the region). Both carry
  // x-amz-bucket-region.
  checkRegion (req, bucket, region, form) {
    if (!bucket || bucket.region === region) return;
    if (this.regionErrors === 'redirect' || req.method === 'HEAD') {
      throw new S3Error(301, 'PermanentRedirect', 'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.', {}, { 'x-amz-bucket-region': bucket.region });
    }
    if (form === 'header') {
      throw new S3Error(400, 'AuthorizationHeaderMalformed', `The authorization header is malformed; the region '${region}' is wrong; expecting '${bucket.region}'`, { Region: bucket.region });
    }
    throw new S3Error(400, 'AuthorizationQueryParametersError', `Error parsing the X-Amz-Credential parameter; the region '${region}' is wrong; expecting '${bucket.region}'`, { Region: bucket.region });
  }

  sendError (req, res, e, headers, rid, bucketName, key) {
    let fields = { ...e.fields };
    if (e.code === 'NoSuchBucket') fields = { BucketName: bucketName, ...fields };
    if (e.code === 'NoSuchKey') fields = { Key: key, ...fields };
    if (e.code === 'PermanentRedirect') fields = { Endpoint: `${this.endpoint.replace(/^https?:\/\//, '')}`, Bucket: bucketName, ...fields };
    let xml = `${XML_DECL}<Error><Code>${e.code}</Code><Message>${xmlEscape(e.message)}</Message>`;
    for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== null) xml += `<${k}>${xmlEscape(v)}</${k}>`;
    xml += `<RequestId>${rid}</RequestId><HostId>${Buffer.from('stand-in/' + rid).toString('base64')}</HostId></Error>`;
    if (req.method === 'HEAD') {
      res.writeHead(e.status, headers);
      return res.end();
    }
    res.writeHead(e.status, { ...headers, 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml) });
    res.end(xml);
  }

  sendXml (res, status, xml, headers, entry) {
    entry.status = status;
    const body = XML_DECL + xml;
    res.writeHead(status, { ...headers, 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }

  sendEmpty (res, status, headers, entry) {
    entry.status = status;
    res.writeHead(status, headers);
    res.end();
  }

  async dispatch (req, res, r) {
    const { bucket, bucketName, key, q, headers, entry } = r;
    const m = req.method;
    if (!bucketName) {
      if (m === 'GET') {
        if (!this.listAllBuckets) throw new S3Error(403, 'AccessDenied', 'Access Denied');
        return this.listBuckets(res, headers, entry);
      }
      throw new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
    }
    if (!bucket) {
      if (m === 'PUT' && !key) {
        this.createBucket(bucketName);
        return this.sendEmpty(res, 200, { ...headers, location: `/${bucketName}` }, entry);
      }
      throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist');
    }
    if (!key) {
      if (q.has('cors')) {
        if (m === 'GET') return this.getCors(res, bucket, headers, entry);
        if (m === 'PUT') return this.putCors(req, res, bucket, r.body, headers, entry);
        if (m === 'DELETE') { bucket.cors = null; return this.sendEmpty(res, 204, headers, entry); }
      }
      if (q.has('versioning')) {
        if (m === 'GET') return this.getVersioning(res, bucket, headers, entry);
        if (m === 'PUT') return this.putVersioning(req, res, bucket, r.body, headers, entry);
      }
      if (q.has('location') && m === 'GET') {
        const loc = bucket.region === 'us-east-1' ? '' : bucket.region;
        return this.sendXml(res, 200, `<LocationConstraint xmlns="${NS}">${loc}</LocationConstraint>`, headers, entry);
      }
      if (m === 'HEAD') return this.sendEmpty(res, 200, { ...headers, 'x-amz-access-point-alias': 'false' }, entry);
      if (m === 'GET') {
        const listing = q.get('list-type') === '2' || !['cors', 'location', 'policy', 'acl', 'versioning', 'website', 'tagging', 'lifecycle', 'encryption', 'versions', 'uploads'].some((sub) => q.has(sub));
        if (listing && this.listingDenied.has(bucketName)) throw new S3Error(403, 'AccessDenied', 'Access Denied');
        if (q.get('list-type') === '2') return this.listObjectsV2(res, bucket, bucketName, q, headers, entry);
        for (const sub of ['policy', 'acl', 'website', 'tagging', 'lifecycle', 'encryption', 'versions', 'uploads']) {
          if (q.has(sub)) throw new S3Error(501, 'NotImplemented', `The stand-in does not implement ?${sub}`);
        }
        return this.listObjectsV1(res, bucket, bucketName, q, headers, entry);
      }
      throw new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
    }
    if (m === 'GET' || m === 'HEAD') return this.getObject(req, res, bucket, key, q, headers, entry);
    if (m === 'PUT') return this.putObjectReq(req, res, bucketName, key, r.body, headers, entry);
    if (m === 'DELETE') {
      if (bucket.objects.delete(key)) bucket.sorted = null;
      return this.sendEmpty(res, 204, headers, entry);
    }
    throw new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
  }

  listBuckets (res, headers, entry) {
    let xml = `<ListAllMyBucketsResult xmlns="${NS}"><Owner><ID>${OWNER_ID}</ID><DisplayName>genokey-lab</DisplayName></Owner><Buckets>`;
    for (const [name, b] of [...this.buckets].sort((a, c) => (a[0] < c[0] ? -1 : 1))) {
      xml += `<Bucket><Name>${xmlEscape(name)}</Name><CreationDate>${isoMillis(b.created)}</CreationDate><BucketRegion>${b.region}</BucketRegion></Bucket>`;
    }
    xml += '</Buckets></ListAllMyBucketsResult>';
    this.sendXml(res, 200, xml, headers, entry);
  }

  // Walks keys after `marker` (and, when markerIsCp, past every key under
  // that common prefix), grouping by delimiter; returns { items, truncated }.
  walk (bucket, { prefix, delimiter, marker, markerIsCp = false, maxKeys }) {
    const keys = this.sortedKeys(bucket);
    const items = [];
    let truncated = false;
    let lastCp = null;
    const markerBuf = marker ? Buffer.from(marker) : null;
    const startBuf = Buffer.from(markerBuf && Buffer.compare(markerBuf, Buffer.from(prefix)) > 0 ? marker : prefix);
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (Buffer.compare(Buffer.from(keys[mid]), startBuf) < 0) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < keys.length; i++) {
      const k = keys[i];
      if (!k.startsWith(prefix)) break;
      if (markerBuf && Buffer.compare(Buffer.from(k), markerBuf) <= 0) continue;
      if (markerIsCp && k.startsWith(marker)) continue;
      let cp = null;
      if (delimiter) {
        const j = k.indexOf(delimiter, prefix.length);
        if (j >= 0) cp = k.slice(0, j + delimiter.length);
      }
      if (cp !== null && cp === lastCp) continue;
      if (items.length >= maxKeys) { truncated = true; break; }
      if (cp !== null) { items.push({ cp }); lastCp = cp; } else items.push({ key: k });
    }
    return { items, truncated, lastItem: items[items.length - 1] || null };
  }

  listParams (q) {
    const enc = q.get('encoding-type');
    if (enc !== undefined && enc !== 'url') throw new S3Error(400, 'InvalidArgument', 'Invalid Encoding Method specified in Request', { ArgumentName: 'encoding-type', ArgumentValue: enc });
    let maxKeys = 1000;
    if (q.has('max-keys')) {
      const v = q.get('max-keys');
      if (!/^\d+$/.test(v)) throw new S3Error(400, 'InvalidArgument', 'Provided max-keys not an integer or within integer range', { ArgumentName: 'max-keys', ArgumentValue: v });
      maxKeys = Math.min(1000, Number(v));
    }
    return { prefix: q.get('prefix') || '', delimiter: q.get('delimiter') || '', maxKeys, url: enc === 'url' };
  }

  listObjectsV2 (res, bucket, name, q, headers, entry) {
    const p = this.listParams(q);
    const e = (s) => xmlEscape(p.url ? urlEncodeKey(s) : s);
    let marker = q.get('start-after') || '';
    let markerIsCp = false;
    const token = q.get('continuation-token');
    if (token !== undefined) {
      const raw = Buffer.from(token, 'base64').toString('utf8');
      if (token === '' || !/^[12]\//.test(raw) || Buffer.from(raw, 'utf8').toString('base64') !== token) {
        throw new S3Error(400, 'InvalidArgument', 'The continuation token provided is incorrect', { ArgumentName: 'continuation-token' });
      }
      marker = raw.slice(2);
      markerIsCp = raw[0] === '2';
    }
    const w = p.maxKeys === 0 ? { items: [], truncated: false, lastItem: null } : this.walk(bucket, { ...p, marker, markerIsCp });
    let xml = `<ListBucketResult xmlns="${NS}"><Name>${xmlEscape(name)}</Name><Prefix>${e(p.prefix)}</Prefix>`;
    if (token !== undefined) xml += `<ContinuationToken>${xmlEscape(token)}</ContinuationToken>`;
    if (w.truncated) {
      const next = w.lastItem.cp !== undefined ? '2/' + w.lastItem.cp : '1/' + w.lastItem.key;
      xml += `<NextContinuationToken>${Buffer.from(next, 'utf8').toString('base64')}</NextContinuationToken>`;
    }
    xml += `<KeyCount>${w.items.length}</KeyCount><MaxKeys>${p.maxKeys}</MaxKeys>`;
    if (p.delimiter) xml += `<Delimiter>${e(p.delimiter)}</Delimiter>`;
    xml += `<IsTruncated>${w.truncated}</IsTruncated>`;
    if (q.has('start-after')) xml += `<StartAfter>${e(q.get('start-after'))}</StartAfter>`;
    const fetchOwner = q.get('fetch-owner') === 'true';
    xml += this.itemsXml(bucket, w.items, e, fetchOwner);
    if (p.url) xml += '<EncodingType>url</EncodingType>';
    xml += '</ListBucketResult>';
    this.sendXml(res, 200, xml, headers, entry);
  }

  listObjectsV1 (res, bucket, name, q, headers, entry) {
    const p = this.listParams(q);
    const e = (s) => xmlEscape(p.url ? urlEncodeKey(s) : s);
    const marker = q.get('marker') || '';
    const markerIsCp = !!p.delimiter && marker.startsWith(p.prefix) && marker.indexOf(p.delimiter, p.prefix.length) === marker.length - p.delimiter.length;
    const w = p.maxKeys === 0 ? { items: [], truncated: false, lastItem: null } : this.walk(bucket, { ...p, marker, markerIsCp });
    let xml = `<ListBucketResult xmlns="${NS}"><Name>${xmlEscape(name)}</Name><Prefix>${e(p.prefix)}</Prefix><Marker>${e(marker)}</Marker>`;
    if (w.truncated && p.delimiter) xml += `<NextMarker>${e(w.lastItem.cp ?? w.lastItem.key)}</NextMarker>`;
    xml += `<MaxKeys>${p.maxKeys}</MaxKeys>`;
    if (p.delimiter) xml += `<Delimiter>${e(p.delimiter)}</Delimiter>`;
    xml += `<IsTruncated>${w.truncated}</IsTruncated>`;
    xml += this.itemsXml(bucket, w.items, e, true);
    if (p.url) xml += '<EncodingType>url</EncodingType>';
    xml += '</ListBucketResult>';
    this.sendXml(res, 200, xml, headers, entry);
  }

  itemsXml (bucket, items, e, owner) {
    let xml = '';
    for (const it of items) {
      if (it.key === undefined) continue;
      const o = bucket.objects.get(it.key);
      // What follows the key never changes for an object: made once, so a
      // 1,000-key page costs the stand-in little next to the latency it
      // is asked to add.
      if (o.listTail === undefined) {
        o.listTail = `</Key><LastModified>${isoMillis(o.lastModified)}</LastModified><ETag>${xmlEscape(o.etag)}</ETag><Size>${o.body.length}</Size>`;
      }
      xml += `<Contents><Key>${e(it.key)}${o.listTail}`;
      if (owner) xml += `<Owner><ID>${OWNER_ID}</ID><DisplayName>genokey-lab</DisplayName></Owner>`;
      xml += '<StorageClass>STANDARD</StorageClass></Contents>';
    }
    for (const it of items) if (it.cp !== undefined) xml += `<CommonPrefixes><Prefix>${e(it.cp)}</Prefix></CommonPrefixes>`;
    return xml;
  }

  getObject (req, res, bucket, key, q, headers, entry) {
    const o = bucket.objects.get(key);
    if (!o) {
      // Without s3:ListBucket AWS will not say whether a key exists.
      if (this.listingDenied.has(bucket.name)) throw new S3Error(403, 'AccessDenied', 'Access Denied');
      throw new S3Error(404, 'NoSuchKey', 'The specified key does not exist.');
    }
    const h = {
      ...headers,
      'last-modified': httpDate(o.lastModified),
      etag: o.etag,
      'accept-ranges': 'bytes',
      'content-type': q.get('response-content-type') || o.contentType,
      'server': 'AmazonS3',
    };
    for (const [k, v] of Object.entries(o.metadata)) h['x-amz-meta-' + k] = v;
    for (const [p, name] of [['response-content-disposition', 'content-disposition'], ['response-cache-control', 'cache-control'], ['response-content-encoding', 'content-encoding'], ['response-content-language', 'content-language'], ['response-expires', 'expires']]) {
      if (q.has(p)) h[name] = q.get(p);
    }
    const inm = req.headers['if-none-match'];
    if (inm && inm.split(',').map((s) => s.trim()).some((t) => t === o.etag || t === '*')) {
      return this.sendEmpty(res, 304, { ...h, 'content-type': undefined }, entry);
    }
    const im = req.headers['if-match'];
    if (im && !im.split(',').map((s) => s.trim()).some((t) => t === o.etag || t === '*')) {
      throw new S3Error(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: 'If-Match' });
    }
    const size = o.body.length;
    let start = 0;
    let end = size - 1;
    let status = 200;
    const range = req.headers.range;
    if (range) {
      const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
      if (m && (m[1] !== '' || m[2] !== '')) {
        if (m[1] === '') {
          const n = Number(m[2]);
          start = Math.max(0, size - n);
        } else {
          start = Number(m[1]);
          if (m[2] !== '') end = Math.min(size - 1, Number(m[2]));
          if (m[2] !== '' && Number(m[2]) < start) { start = 0; end = size - 1; status = 200; }
        }
        if (start >= size || (m[1] === '' && Number(m[2]) === 0)) {
          throw new S3Error(416, 'InvalidRange', 'The requested range is not satisfiable', { RangeRequested: range, ActualObjectSize: String(size) }, { 'content-range': `bytes */${size}` });
        }
        if (!(m[2] !== '' && m[1] !== '' && Number(m[2]) < Number(m[1]))) {
          status = 206;
          h['content-range'] = `bytes ${start}-${end}/${size}`;
        }
      }
    }
    const body = o.body.subarray(start, end + 1);
    h['content-length'] = body.length;
    for (const k of Object.keys(h)) if (h[k] === undefined) delete h[k];
    entry.status = status;
    res.writeHead(status, h);
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  putObjectReq (req, res, bucketName, key, body, headers, entry) {
    const md5 = req.headers['content-md5'];
    if (md5 !== undefined) {
      const actual = createHash('md5').update(body).digest('base64');
      if (!/^[A-Za-z0-9+/]{22}==$/.test(md5)) throw new S3Error(400, 'InvalidDigest', 'The Content-MD5 you specified was invalid.');
      if (actual !== md5) throw new S3Error(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');
    }
    if (key.length > 1024) throw new S3Error(400, 'KeyTooLongError', 'Your key is too long');
    const metadata = {};
    for (const [k, v] of Object.entries(req.headers)) if (k.startsWith('x-amz-meta-')) metadata[k.slice(11)] = v;
    const etag = this.putObject(bucketName, key, body, { contentType: req.headers['content-type'] || 'binary/octet-stream', metadata });
    this.sendEmpty(res, 200, { ...headers, etag, 'content-length': '0' }, entry);
  }

  // ---- versioning ------------------------------------------------------

  // A bucket whose versioning was never set answers an empty configuration,
  // as S3 does; once set, it can only be Enabled or Suspended again.
  getVersioning (res, bucket, headers, entry) {
    const xml = bucket.versioning
      ? `<VersioningConfiguration xmlns="${NS}"><Status>${bucket.versioning}</Status></VersioningConfiguration>`
      : `<VersioningConfiguration xmlns="${NS}"/>`;
    this.sendXml(res, 200, xml, headers, entry);
  }

  putVersioning (req, res, bucket, body, headers, entry) {
    checkContentDigest(req, body);
    const text = body.toString('utf8');
    if (!/^\s*(<\?xml[^>]*\?>)?\s*<VersioningConfiguration[\s>]/.test(text)) {
      throw new S3Error(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
    }
    const m = /<Status>([\s\S]*?)<\/Status>/.exec(text);
    if (m && m[1] !== 'Enabled' && m[1] !== 'Suspended') {
      throw new S3Error(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
    }
    if (m) bucket.versioning = m[1];
    this.sendEmpty(res, 200, headers, entry);
  }

  // ---- CORS ------------------------------------------------------------

  getCors (res, bucket, headers, entry) {
    if (!bucket.cors) throw new S3Error(404, 'NoSuchCORSConfiguration', 'The CORS configuration does not exist');
    let xml = `<CORSConfiguration xmlns="${NS}">`;
    for (const r of bucket.cors) {
      xml += '<CORSRule>';
      if (r.ID) xml += `<ID>${xmlEscape(r.ID)}</ID>`;
      for (const h of r.AllowedHeaders) xml += `<AllowedHeader>${xmlEscape(h)}</AllowedHeader>`;
      for (const m of r.AllowedMethods) xml += `<AllowedMethod>${xmlEscape(m)}</AllowedMethod>`;
      for (const o of r.AllowedOrigins) xml += `<AllowedOrigin>${xmlEscape(o)}</AllowedOrigin>`;
      for (const h of r.ExposeHeaders) xml += `<ExposeHeader>${xmlEscape(h)}</ExposeHeader>`;
      if (r.MaxAgeSeconds !== undefined) xml += `<MaxAgeSeconds>${r.MaxAgeSeconds}</MaxAgeSeconds>`;
      xml += '</CORSRule>';
    }
    xml += '</CORSConfiguration>';
    this.sendXml(res, 200, xml, headers, entry);
  }

  putCors (req, res, bucket, body, headers, entry) {
    checkContentDigest(req, body);
    const text = body.toString('utf8');
    const rules = [];
    const ruleRe = /<CORSRule>([\s\S]*?)<\/CORSRule>/g;
    let m;
    const all = (s, tag) => [...s.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((x) => unescapeXml(x[1]));
    while ((m = ruleRe.exec(text))) {
      const s = m[1];
      const r = {
        ID: all(s, 'ID')[0],
        AllowedHeaders: all(s, 'AllowedHeader'),
        AllowedMethods: all(s, 'AllowedMethod'),
        AllowedOrigins: all(s, 'AllowedOrigin'),
        ExposeHeaders: all(s, 'ExposeHeader'),
        MaxAgeSeconds: all(s, 'MaxAgeSeconds')[0],
      };
      if (!r.AllowedMethods.length || !r.AllowedOrigins.length) throw new S3Error(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
      for (const meth of r.AllowedMethods) {
        if (!['GET', 'PUT', 'POST', 'DELETE', 'HEAD'].includes(meth)) throw new S3Error(400, 'InvalidRequest', `Found unsupported HTTP method in CORS config. Unsupported method is ${meth}`);
      }
      rules.push(normaliseRule(r));
    }
    if (!rules.length) throw new S3Error(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
    bucket.cors = rules;
    this.sendEmpty(res, 200, headers, entry);
  }

  matchRule (bucket, origin, method, reqHeaders) {
    if (!bucket.cors) return null;
    for (const r of bucket.cors) {
      if (!r.AllowedOrigins.some((o) => wildcard(o, origin))) continue;
      if (!r.AllowedMethods.includes(method)) continue;
      if (!reqHeaders.every((h) => r.AllowedHeaders.some((a) => wildcard(a.toLowerCase(), h)))) continue;
      return r;
    }
    return null;
  }

  corsHeaders (req, bucket) {
    const origin = req.headers.origin;
    if (!origin || !bucket.cors) return {};
    const r = this.matchRule(bucket, origin, req.method, []);
    if (!r) return {};
    const h = {
      'access-control-allow-origin': r.AllowedOrigins.includes('*') ? '*' : origin,
      'access-control-allow-methods': r.AllowedMethods.join(', '),
      vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
    };
    if (!r.AllowedOrigins.includes('*')) h['access-control-allow-credentials'] = 'true';
    if (r.ExposeHeaders.length) h['access-control-expose-headers'] = r.ExposeHeaders.join(', ');
    if (r.MaxAgeSeconds !== undefined) h['access-control-max-age'] = String(r.MaxAgeSeconds);
    return h;
  }

  preflight (req, res, bucket, bucketName, headers, entry) {
    const origin = req.headers.origin;
    const method = req.headers['access-control-request-method'];
    if (!bucketName) throw new S3Error(400, 'BadRequest', 'Insufficient information. Origin request header needed.');
    if (!bucket) throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist');
    if (!origin) throw new S3Error(400, 'BadRequest', 'Insufficient information. Origin request header needed.');
    if (!method) throw new S3Error(400, 'BadRequest', 'Invalid Access-Control-Request-Method: null');
    if (!bucket.cors) throw new S3Error(403, 'AccessForbidden', 'CORSResponse: CORS is not enabled for this bucket.', { Method: method, ResourceType: 'BUCKET' });
    const reqHeaders = (req.headers['access-control-request-headers'] || '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
    const r = this.matchRule(bucket, origin, method, reqHeaders);
    if (!r) {
      throw new S3Error(403, 'AccessForbidden', 'CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource\'s CORS spec.', { Method: method, ResourceType: 'OBJECT' });
    }
    const h = {
      ...headers,
      'access-control-allow-origin': r.AllowedOrigins.includes('*') ? '*' : origin,
      'access-control-allow-methods': r.AllowedMethods.join(', '),
      vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
      'content-length': '0',
    };
    if (!r.AllowedOrigins.includes('*')) h['access-control-allow-credentials'] = 'true';
    if (reqHeaders.length) h['access-control-allow-headers'] = reqHeaders.join(', ');
    if (r.ExposeHeaders.length) h['access-control-expose-headers'] = r.ExposeHeaders.join(', ');
    if (r.MaxAgeSeconds !== undefined) h['access-control-max-age'] = String(r.MaxAgeSeconds);
    this.sendEmpty(res, 200, h, entry);
  }
}

// PutBucketCors and PutBucketVersioning require a Content-MD5 (or a
// flexible checksum) of their body.
function checkContentDigest (req, body) {
  if (!req.headers['content-md5'] && !Object.keys(req.headers).some((h) => h.startsWith('x-amz-checksum-'))) {
    throw new S3Error(400, 'InvalidRequest', 'Missing required header for this request: Content-Md5');
  }
  if (req.headers['content-md5'] && createHash('md5').update(body).digest('base64') !== req.headers['content-md5']) {
    throw new S3Error(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');
  }
}

function normaliseRule (r) {
  return {
    ID: r.ID,
    AllowedHeaders: r.AllowedHeaders || [],
    AllowedMethods: r.AllowedMethods || [],
    AllowedOrigins: r.AllowedOrigins || [],
    ExposeHeaders: r.ExposeHeaders || [],
    MaxAgeSeconds: r.MaxAgeSeconds === undefined || r.MaxAgeSeconds === null ? undefined : Number(r.MaxAgeSeconds),
  };
}

function wildcard (pattern, value) {
  if (pattern === '*') return true;
  const re = new RegExp('^' + pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
  return re.test(value);
}

function unescapeXml (s) {
  return s.trim().replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}
