// EC2 instance metadata with IMDSv2 required (HttpTokens=required): a
// session token from PUT /latest/api/token (with its TTL header) must come
// with every GET, or the answer is 401. The instance role's credentials
// rotate before they expire, as EC2's do, and S3 and STS accept them.
import { randomBytes } from 'node:crypto';
import { listen, readBody, isoNoMillis } from './util.mjs';

const TOKEN_HEADER = 'x-aws-ec2-metadata-token';
const TTL_HEADER = 'x-aws-ec2-metadata-token-ttl-seconds';

export class ImdsService {
  constructor ({ creds, accountId, region, roleName = 'GenokeyDemoInstanceRole', credentialLifetime = 6 * 3600, instanceId = 'i-0123456789abcdef0' }) {
    this.creds = creds;
    this.accountId = accountId;
    this.region = region;
    this.roleName = roleName; // null: no instance profile attached
    this.credentialLifetime = credentialLifetime;
    this.instanceId = instanceId;
    this.tokens = new Map(); // token → expiry (ms)
    this.current = null;
    this.log = [];
  }

  async start () {
    const { server, url } = await listen((req, res) => this.handle(req, res));
    this.server = server;
    this.endpoint = url;
    return this;
  }

  get roleArn () {
    return `arn:aws:iam::${this.accountId}:role/${this.roleName}`;
  }

  // EC2 hands out new credentials well before the old ones expire: here
  // once less than a quarter of the lifetime (at most 5 minutes) is left.
  credentials (now = Date.now()) {
    const margin = Math.min(300, this.credentialLifetime / 4) * 1000;
    if (!this.current || this.current.expiration.getTime() - now <= margin) {
      this.current = this.creds.issue({ lifetime: this.credentialLifetime, role: this.roleArn, sessionName: this.instanceId, now });
      this.current.issuedAt = new Date(Math.floor(now / 1000) * 1000);
    }
    return this.current;
  }

  async handle (req, res) {
    const u = new URL(req.url, 'http://x');
    const entry = { method: req.method, path: u.pathname, status: 0, token: req.headers[TOKEN_HEADER] !== undefined };
    this.log.push(entry);
    const send = (status, body, headers = {}) => {
      entry.status = status;
      res.writeHead(status, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body), server: 'EC2ws', ...headers });
      res.end(body);
    };
    await readBody(req, 1 << 16);
    if (u.pathname === '/latest/api/token') {
      if (req.method !== 'PUT') return send(405, '', { allow: 'OPTIONS, PUT' });
      // A token request that went through a proxy is refused (IMDS's
      // defence against SSRF through open proxies).
      if (req.headers['x-forwarded-for'] !== undefined) return send(403, '');
      const ttl = req.headers[TTL_HEADER];
      if (ttl === undefined || !/^\d+$/.test(ttl) || +ttl < 1 || +ttl > 21600) return send(400, '');
      const token = 'AQAEA' + randomBytes(36).toString('base64').replace(/[+/=]/g, 'x');
      this.tokens.set(token, Date.now() + Number(ttl) * 1000);
      return send(200, token, { [TTL_HEADER]: ttl });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, '');
    const token = req.headers[TOKEN_HEADER];
    const expires = token !== undefined ? this.tokens.get(token) : undefined;
    if (expires === undefined || expires <= Date.now()) return send(401, '');

    const md = '/latest/meta-data/';
    const p = u.pathname;
    if (p === md + 'instance-id') return send(200, this.instanceId);
    if (p === md + 'placement/region') return send(200, this.region);
    if (p === md + 'placement/availability-zone') return send(200, this.region + 'a');
    if (this.roleName === null && p.startsWith(md + 'iam/')) return send(404, notFound(), { 'content-type': 'text/html' });
    if (p === md + 'iam/info') {
      return send(200, JSON.stringify({
        Code: 'Success',
        LastUpdated: isoNoMillis(Date.now()),
        InstanceProfileArn: `arn:aws:iam::${this.accountId}:instance-profile/${this.roleName}`,
        InstanceProfileId: 'AIPAGENOKEYDEMOINST01',
      }, null, 2));
    }
    if (p === md + 'iam/security-credentials/' || p === md + 'iam/security-credentials') return send(200, this.roleName);
    if (p === md + 'iam/security-credentials/' + this.roleName) {
      const c = this.credentials();
      return send(200, JSON.stringify({
        Code: 'Success',
        LastUpdated: isoNoMillis(c.issuedAt.getTime()),
        Type: 'AWS-HMAC',
        AccessKeyId: c.accessKeyId,
        SecretAccessKey: c.secretAccessKey,
        Token: c.sessionToken,
        Expiration: isoNoMillis(c.expiration.getTime()),
      }, null, 2));
    }
    return send(404, notFound(), { 'content-type': 'text/html' });
  }
}

function notFound () {
  return `<?xml version="1.0" encoding="iso-8859-1"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
         "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">
 <head>
  <title>404 - Not Found</title>
 </head>
 <body>
  <h1>404 - Not Found</h1>
 </body>
</html>
`;
}
