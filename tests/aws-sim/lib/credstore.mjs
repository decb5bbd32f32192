// Temporary AWS credentials issued by the identity side (Cognito Identity,
// STS) and accepted by the S3 front until they expire.
import { randomBytes } from 'node:crypto';
import { randomUpper } from './util.mjs';

function secretKey () {
  // 40 characters of base64, with + and / like AWS secrets.
  for (;;) {
    const s = randomBytes(30).toString('base64');
    if (s.includes('+') || s.includes('/')) return s;
  }
}

function sessionToken () {
  // ~800 characters of base64 starting like real tokens, containing + / =.
  for (;;) {
    const s = 'IQoJb3JpZ2luX2VjE' + randomBytes(586).toString('base64');
    if (s.includes('+') && s.includes('/') && s.endsWith('=')) return s;
  }
}

export class CredentialStore {
  constructor () {
    this.byKey = new Map();
    this.byToken = new Map();
  }

  // Temporary credentials of a role session. `tags` (session tags) and
  // `sourceIdentity` travel with them, as they do on AWS, where policies and
  // CloudTrail see them as the principal's; `chained` marks a session
  // assumed with another role session's credentials (role chaining).
  issue ({ lifetime, identityId = null, role = null, sessionName = null, tags = {}, sourceIdentity = null, chained = false, now = Date.now() }) {
    const cred = {
      accessKeyId: 'ASIA' + randomUpper(16),
      secretAccessKey: secretKey(),
      sessionToken: sessionToken(),
      expiration: new Date(Math.floor(now / 1000) * 1000 + lifetime * 1000),
      identityId,
      role,
      sessionName,
      tags: { ...tags },
      sourceIdentity,
      chained,
      lastUsed: null,
    };
    this.byKey.set(cred.accessKeyId, cred);
    this.byToken.set(cred.sessionToken, cred);
    return cred;
  }

  // Long-term (AKIA) keys, for tests that sign without a session token.
  // With a `userName` they are an IAM user's access key (IAM lists them,
  // reports their age and when they were last used).
  issueLongTerm ({ userName = null, now = Date.now() } = {}) {
    const cred = {
      accessKeyId: 'AKIA' + randomUpper(16),
      secretAccessKey: secretKey(),
      sessionToken: null,
      expiration: null,
      userName,
      status: 'Active',
      createDate: new Date(Math.floor(now / 1000) * 1000),
      lastUsed: null,
      tags: {},
    };
    this.byKey.set(cred.accessKeyId, cred);
    return cred;
  }

  // Records a successful signed call, as IAM's GetAccessKeyLastUsed reports it.
  markUsed (cred, service, region, now = Date.now()) {
    cred.lastUsed = { date: new Date(Math.floor(now / 1000) * 1000), service, region };
  }

  revoke (accessKeyId) {
    const c = this.byKey.get(accessKeyId);
    if (!c) return;
    this.byKey.delete(accessKeyId);
    if (c.sessionToken) this.byToken.delete(c.sessionToken);
  }

  // Pretend the credentials ran out (tests of expiry without waiting).
  expire (accessKeyId, now = Date.now()) {
    const c = this.byKey.get(accessKeyId);
    if (c) c.expiration = new Date(now - 1000);
  }
}
