// Cognito Identity (x-amz-json-1.1: GetId, GetCredentialsForIdentity,
// GetOpenIdToken) and STS (query API, XML): AssumeRoleWithWebIdentity for
// the basic flow, and AssumeRole and GetCallerIdentity signed with the
// caller's credentials. All issue credentials into the shared
// CredentialStore.
import { SignJWT, jwtVerify, exportJWK, createLocalJWKSet } from 'jose';
import { createHash } from 'node:crypto';
import { readBody, listen, stableUuid, uuid, xmlEscape, isoNoMillis } from './util.mjs';
import { QueryApiError, parseQuery, queryApiParams, splitTarget, verifyQueryApiRequest } from './sigv4.mjs';

export const OPENID_ISSUER = 'https://cognito-identity.amazonaws.com';
const OPENID_TOKEN_LIFETIME = 600;
const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

class AwsError extends Error {
  constructor (type, message, status = 400) {
    super(message);
    this.type = type;
    this.status = status;
  }
}

export class IdentityService {
  constructor (opts) {
    this.opts = opts; // { region, identityPoolId, idp, creds, clientIds, credentialLifetime, allowUnauthenticated, allowClassicFlow, roleArn, unauthRoleArn, roleMaxSessionDuration, openIdKey }
    this.identities = new Map(); // identityId → { sub|null, authenticated }
    this.throttled = { identity: 0, sts: 0 };
    this.roles = new Map(); // role ARN → role (AssumeRole; see createRole)
    this.log = [];
  }

  async start () {
    const a = await listen((req, res) => this.handleIdentity(req, res), { latency: this.opts.latency, clock: this.opts.clock });
    const b = await listen((req, res) => this.handleSts(req, res), { latency: this.opts.latency, clock: this.opts.clock });
    this.identityServer = a.server;
    this.stsServer = b.server;
    this.identityEndpoint = a.url + '/';
    this.stsEndpoint = b.url + '/';
    const jwk = await exportJWK(this.opts.openIdKey.publicKey);
    this.openIdJwks = { keys: [{ alg: 'RS256', e: jwk.e, kid: this.opts.openIdKey.kid, kty: 'RSA', n: jwk.n, use: 'sig' }] };
    this.openIdLocalJwks = createLocalJWKSet(this.openIdJwks);
    return this;
  }

  get providerName () {
    return this.opts.idp.issuer.replace(/^https?:\/\//, '');
  }

  // ---- Cognito Identity -------------------------------------------------

  async handleIdentity (req, res) {
    const rid = uuid();
    const send = (status, body) => {
      const s = JSON.stringify(body);
      res.writeHead(status, {
        'content-type': 'application/x-amz-json-1.1',
        'content-length': Buffer.byteLength(s),
        'x-amzn-requestid': rid,
      });
      res.end(s);
    };
    const fail = (e) => {
      this.log.push({ service: 'cognito-identity', error: e.type });
      send(e.status, { __type: e.type, message: e.message });
    };
    const u = new URL(req.url, 'http://x');
    if (u.pathname === '/.well-known/jwks_uri' && req.method === 'GET') return send(200, this.openIdJwks);
    const body = await readBody(req, 1 << 20);
    try {
      if (req.method !== 'POST') throw new AwsError('UnknownOperationException', 'Only POST is supported', 404);
      const ct = (req.headers['content-type'] || '').split(';')[0].trim();
      if (ct !== 'application/x-amz-json-1.1') throw new AwsError('SerializationException', `Unsupported content type: ${ct}`);
      const target = req.headers['x-amz-target'] || '';
      const m = /^AWSCognitoIdentityService\.(\w+)$/.exec(target);
      if (!m) throw new AwsError('UnknownOperationException', 'Unknown operation');
      let input;
      try {
        input = body.length ? JSON.parse(body.toString('utf8')) : {};
      } catch {
        throw new AwsError('SerializationException', 'Start of structure or map found where not expected.');
      }
      if (!input || typeof input !== 'object' || Array.isArray(input)) throw new AwsError('SerializationException', 'Expected a JSON object');
      this.log.push({ service: 'cognito-identity', operation: m[1] });
      if (this.throttled.identity > 0) {
        this.throttled.identity--;
        throw new AwsError('TooManyRequestsException', 'Rate exceeded');
      }
      let out;
      if (m[1] === 'GetId') out = await this.getId(input);
      else if (m[1] === 'GetCredentialsForIdentity') out = await this.getCredentials(input);
      else if (m[1] === 'GetOpenIdToken') out = await this.getOpenIdToken(input);
      else throw new AwsError('UnknownOperationException', `Operation ${m[1]} is not supported by the stand-in`);
      send(200, out);
    } catch (e) {
      if (!(e instanceof AwsError)) throw e;
      fail(e);
    }
  }

  checkPool (input) {
    const id = input.IdentityPoolId;
    if (typeof id !== 'string' || !/^[\w-]+:[0-9a-f-]+$/.test(id)) {
      throw new AwsError('ValidationException', `1 validation error detected: Value '${id}' at 'identityPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+`);
    }
    if (id !== this.opts.identityPoolId) throw new AwsError('ResourceNotFoundException', `IdentityPool '${id}' not found.`);
  }

  // Returns the verified ID-token payload, or null when Logins is empty.
  async checkLogins (logins) {
    if (logins === undefined || logins === null) return null;
    if (typeof logins !== 'object' || Array.isArray(logins)) throw new AwsError('SerializationException', 'Logins must be a map');
    const keys = Object.keys(logins);
    if (keys.length === 0) return null;
    if (keys.length > 1 || keys[0] !== this.providerName) {
      throw new AwsError('NotAuthorizedException', 'Invalid login token. Token is not from a supported provider of this identity pool.');
    }
    const token = logins[keys[0]];
    if (typeof token !== 'string' || !token) throw new AwsError('NotAuthorizedException', 'Invalid login token. Missing a required claim: aud');
    try {
      return await this.opts.idp.verifyIdToken(token, this.opts.clientIds);
    } catch (e) {
      throw new AwsError('NotAuthorizedException', e.message);
    }
  }

  async getId (input) {
    this.checkPool(input);
    const claims = await this.checkLogins(input.Logins);
    if (!claims) {
      if (!this.opts.allowUnauthenticated) throw new AwsError('NotAuthorizedException', 'Unauthenticated access is not supported for this identity pool.');
      const id = `${this.opts.region}:${uuid()}`;
      this.identities.set(id, { sub: null, authenticated: false });
      return { IdentityId: id };
    }
    const id = `${this.opts.region}:${stableUuid(this.opts.identityPoolId + '/' + claims.sub)}`;
    this.identities.set(id, { sub: claims.sub, authenticated: true, claims });
    return { IdentityId: id };
  }

  async resolveIdentity (input) {
    const id = input.IdentityId;
    if (typeof id !== 'string' || !/^[\w-]+:[0-9a-f-]+$/.test(id)) {
      throw new AwsError('ValidationException', `1 validation error detected: Value '${id}' at 'identityId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+`);
    }
    const ident = this.identities.get(id);
    if (!ident) throw new AwsError('ResourceNotFoundException', `Identity '${id}' not found.`);
    const claims = await this.checkLogins(input.Logins);
    if (ident.authenticated) {
      if (!claims || claims.sub !== ident.sub) {
        throw new AwsError('NotAuthorizedException', 'Logins don\'t match. Please include at least one valid login for this identity or identity pool.');
      }
    } else {
      if (claims) throw new AwsError('NotAuthorizedException', 'Logins don\'t match. Please include at least one valid login for this identity or identity pool.');
      if (!this.opts.allowUnauthenticated) throw new AwsError('NotAuthorizedException', 'Unauthenticated access is not supported for this identity pool.');
    }
    return { id, ident, claims };
  }

  async getCredentials (input) {
    const { id, ident } = await this.resolveIdentity(input);
    if (input.CustomRoleArn !== undefined) {
      throw new AwsError('InvalidParameterException', 'CustomRoleArn is not supported by this identity pool\'s role mapping.');
    }
    const role = ident.authenticated ? this.opts.roleArn : this.opts.unauthRoleArn;
    const c = this.opts.creds.issue({ lifetime: this.opts.credentialLifetime, identityId: id, role, sessionName: 'CognitoIdentityCredentials' });
    return {
      Credentials: {
        AccessKeyId: c.accessKeyId,
        Expiration: c.expiration.getTime() / 1000,
        SecretKey: c.secretAccessKey,
        SessionToken: c.sessionToken,
      },
      IdentityId: id,
    };
  }

  async getOpenIdToken (input) {
    const { id, ident } = await this.resolveIdentity(input);
    if (!this.opts.allowClassicFlow) {
      throw new AwsError('InvalidParameterException', 'Basic (classic) flow is not enabled, please use enhanced flow.');
    }
    const t = Math.floor(Date.now() / 1000);
    const amr = ident.authenticated
      ? ['authenticated', this.providerName, `${this.providerName}:CognitoSignIn:${ident.sub}`]
      : ['unauthenticated'];
    const token = await new SignJWT({
      sub: id,
      aud: this.opts.identityPoolId,
      amr,
      'https://cognito-identity.amazonaws.com/identity-pool-arn': `arn:aws:cognito-identity:${this.opts.region}:${this.opts.accountId}:identitypool/${this.opts.identityPoolId}`,
      iss: OPENID_ISSUER,
      exp: t + OPENID_TOKEN_LIFETIME,
      iat: t,
    })
      .setProtectedHeader({ kid: this.opts.openIdKey.kid, typ: 'JWS', alg: 'RS256' })
      .sign(this.opts.openIdKey.privateKey);
    return { IdentityId: id, Token: token };
  }

  // ---- STS ---------------------------------------------------------------

  async handleSts (req, res) {
    const rid = uuid();
    const sendXml = (status, xml) => {
      res.writeHead(status, {
        'content-type': 'text/xml',
        'content-length': Buffer.byteLength(xml),
        'x-amzn-requestid': rid,
      });
      res.end(xml);
    };
    const { rawPath, rawQuery } = splitTarget(req.url);
    const body = await readBody(req, 1 << 20);
    try {
      const params = queryApiParams(req, rawQuery, body);
      const action = params.get('Action');
      this.log.push({ service: 'sts', action });
      if (!['AssumeRoleWithWebIdentity', 'AssumeRole', 'GetCallerIdentity'].includes(action) || params.get('Version') !== '2011-06-15') {
        throw new AwsError('InvalidAction', `Could not find operation ${action} for version ${params.get('Version')}`);
      }
      // AssumeRoleWithWebIdentity is the one unsigned STS call: the web
      // identity token is the credential. The others are SigV4-signed with
      // the caller's credentials, and STS judges the caller by them.
      let caller = null;
      if (action !== 'AssumeRoleWithWebIdentity') {
        caller = verifyQueryApiRequest(req, rawPath, parseQuery(rawQuery), body, {
          creds: this.opts.creds, now: Date.now(), service: 'sts', region: this.opts.region,
        });
        this.opts.creds.markUsed(caller, 'sts', this.opts.region);
      }
      if (this.throttled.sts > 0) {
        this.throttled.sts--;
        throw new AwsError('Throttling', 'Rate exceeded');
      }
      if (action === 'AssumeRoleWithWebIdentity') sendXml(200, await this.assumeRoleWithWebIdentity(params, rid));
      else if (action === 'AssumeRole') sendXml(200, this.assumeRole(params, caller, rid));
      else sendXml(200, this.getCallerIdentity(caller, rid));
    } catch (e) {
      if (e instanceof QueryApiError) e = new AwsError(e.code, e.message, e.status);
      if (!(e instanceof AwsError)) throw e;
      this.log.push({ service: 'sts', error: e.type });
      sendXml(e.status, stsError('Sender', e.type, e.message, rid));
    }
  }

  // The ARN STS and IAM name a caller by.
  principalArn (cred) {
    if (cred.userName) return `arn:aws:iam::${this.opts.accountId}:user/${cred.userName}`;
    if (cred.role) return `arn:aws:sts::${this.opts.accountId}:assumed-role/${cred.role.split('/').pop()}/${cred.sessionName}`;
    return `arn:aws:iam::${this.opts.accountId}:user/stand-in-test`;
  }

  /**
   * A role AssumeRole can reach: { name, maxSessionDuration (s), trust:
   * { principals: [user or role ARNs, or 'arn:aws:iam::ACCOUNT:root' for
   * anyone in the account], externalId: null or the value the trust
   * policy's sts:ExternalId condition requires } }.
   */
  createRole ({ name, maxSessionDuration = 3600, principals = [], externalId = null }) {
    const arn = `arn:aws:iam::${this.opts.accountId}:role/${name}`;
    const role = { name, arn, roleId: 'AROA' + createHash('sha256').update(arn).digest('hex').slice(0, 17).toUpperCase(), maxSessionDuration, trust: { principals, externalId } };
    this.roles.set(arn, role);
    return role;
  }

  trusts (role, cred) {
    const acct = `arn:aws:iam::${this.opts.accountId}:root`;
    return role.trust.principals.some((p) => p === acct || p === this.principalArn(cred) || (cred.role && p === cred.role));
  }

  assumeRole (p, caller, rid) {
    const errors = [];
    const roleArn = p.get('RoleArn');
    const name = p.get('RoleSessionName');
    const externalId = p.get('ExternalId');
    const sourceIdentity = p.get('SourceIdentity');
    const dur = p.has('DurationSeconds') ? p.get('DurationSeconds') : '3600';
    if (roleArn === null) errors.push("Value null at 'roleArn' failed to satisfy constraint: Member must not be null");
    else if (roleArn.length < 20 || roleArn.length > 2048) errors.push(`Value '${roleArn}' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20`);
    if (name === null) errors.push("Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null");
    else {
      if (!/^[\w+=,.@-]*$/.test(name)) errors.push(`Value '${name}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`);
      if (name.length < 2) errors.push(`Value '${name}' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2`);
      if (name.length > 64) errors.push(`Value '${name}' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64`);
    }
    if (externalId !== null && (externalId.length < 2 || externalId.length > 1224 || !/^[\w+=,.@:\/-]*$/.test(externalId))) {
      errors.push("Value at 'externalId' failed to satisfy constraint: Member must have length greater than or equal to 2 and satisfy regular expression pattern: [\\w+=,.@:\\/-]*");
    }
    if (sourceIdentity !== null && (sourceIdentity.length < 2 || sourceIdentity.length > 64 || !/^[\w+=,.@-]*$/.test(sourceIdentity))) {
      errors.push(`Value '${sourceIdentity}' at 'sourceIdentity' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`);
    }
    const d = Number(dur);
    if (!/^\d+$/.test(dur)) errors.push(`Value '${dur}' at 'durationSeconds' failed to satisfy constraint: Member must be a number`);
    else if (d < 900) errors.push(`Value '${dur}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900`);
    else if (d > 43200) errors.push(`Value '${dur}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200`);
    const tags = {};
    for (let i = 1; p.has(`Tags.member.${i}.Key`); i++) {
      const k = p.get(`Tags.member.${i}.Key`);
      const v = p.get(`Tags.member.${i}.Value`) ?? '';
      if (k.length < 1 || k.length > 128) errors.push(`Value '${k}' at 'tags.${i}.member.key' failed to satisfy constraint: Member must have length less than or equal to 128`);
      if (v.length > 256) errors.push(`Value at 'tags.${i}.member.value' failed to satisfy constraint: Member must have length less than or equal to 256`);
      if (Object.keys(tags).some((t) => t.toLowerCase() === k.toLowerCase())) {
        throw new AwsError('InvalidParameterValue', 'Duplicate tag keys found. Please note that Tag keys are case insensitive.');
      }
      tags[k] = v;
    }
    if (Object.keys(tags).length > 50) errors.push("Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50");
    if (errors.length) {
      throw new AwsError('ValidationError', `${errors.length} validation error${errors.length > 1 ? 's' : ''} detected: ${errors.join('; ')}`);
    }
    // The role's trust policy: the caller must be a trusted principal and,
    // when the policy has an sts:ExternalId condition, send exactly that
    // value. AWS words every refusal the same way, so a wrong external ID
    // cannot be told from an untrusted caller.
    const role = this.roles.get(roleArn);
    const callerArn = this.principalArn(caller);
    if (!role || !this.trusts(role, caller) || (role.trust.externalId !== null && externalId !== role.trust.externalId)) {
      throw new AwsError('AccessDenied', `User: ${callerArn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);
    }
    // A role session assuming a role is role chaining: AWS caps it at one
    // hour whatever the role's maximum.
    const chained = Boolean(caller.role) && caller.sessionToken !== null;
    if (chained && p.has('DurationSeconds') && d > 3600) {
      throw new AwsError('ValidationError', 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
    }
    if (d > role.maxSessionDuration) {
      throw new AwsError('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
    }
    const lifetime = this.opts.assumeRoleLifetime ?? d;
    const c = this.opts.creds.issue({ lifetime, role: roleArn, sessionName: name, tags, sourceIdentity, chained });
    const packed = Object.keys(tags).length ? `\n    <PackedPolicySize>${Math.min(100, 6 + Object.keys(tags).length * 3)}</PackedPolicySize>` : '';
    const si = sourceIdentity !== null ? `\n    <SourceIdentity>${xmlEscape(sourceIdentity)}</SourceIdentity>` : '';
    return `<AssumeRoleResponse xmlns="${STS_NS}">
  <AssumeRoleResult>${si}
    <AssumedRoleUser>
      <AssumedRoleId>${role.roleId}:${xmlEscape(name)}</AssumedRoleId>
      <Arn>arn:aws:sts::${this.opts.accountId}:assumed-role/${xmlEscape(role.name)}/${xmlEscape(name)}</Arn>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>${c.accessKeyId}</AccessKeyId>
      <SecretAccessKey>${xmlEscape(c.secretAccessKey)}</SecretAccessKey>
      <SessionToken>${xmlEscape(c.sessionToken)}</SessionToken>
      <Expiration>${isoNoMillis(c.expiration.getTime())}</Expiration>
    </Credentials>${packed}
  </AssumeRoleResult>
  <ResponseMetadata>
    <RequestId>${rid}</RequestId>
  </ResponseMetadata>
</AssumeRoleResponse>
`;
  }

  getCallerIdentity (caller, rid) {
    const arn = this.principalArn(caller);
    const userId = caller.userName ? 'AIDA' + createHash('sha256').update(arn).digest('hex').slice(0, 17).toUpperCase()
      : caller.role ? `${this.roles.get(caller.role)?.roleId ?? this.opts.roleId}:${caller.sessionName}` : 'AIDASTANDINTEST';
    return `<GetCallerIdentityResponse xmlns="${STS_NS}">
  <GetCallerIdentityResult>
    <Arn>${xmlEscape(arn)}</Arn>
    <UserId>${xmlEscape(userId)}</UserId>
    <Account>${this.opts.accountId}</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata>
    <RequestId>${rid}</RequestId>
  </ResponseMetadata>
</GetCallerIdentityResponse>
`;
  }

  async assumeRoleWithWebIdentity (p, rid) {
    const errors = [];
    const roleArn = p.get('RoleArn');
    const name = p.get('RoleSessionName');
    const token = p.get('WebIdentityToken');
    const dur = p.has('DurationSeconds') ? p.get('DurationSeconds') : '3600';
    if (roleArn === null) errors.push("Value null at 'roleArn' failed to satisfy constraint: Member must not be null");
    else if (roleArn.length < 20 || roleArn.length > 2048) errors.push(`Value '${roleArn}' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20`);
    if (name === null) errors.push("Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null");
    else {
      if (!/^[\w+=,.@-]*$/.test(name)) errors.push(`Value '${name}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`);
      if (name.length < 2) errors.push(`Value '${name}' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2`);
      if (name.length > 64) errors.push(`Value '${name}' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64`);
    }
    if (token === null) errors.push("Value null at 'webIdentityToken' failed to satisfy constraint: Member must not be null");
    else if (token.length < 4) errors.push(`Value at 'webIdentityToken' failed to satisfy constraint: Member must have length greater than or equal to 4`);
    const d = Number(dur);
    if (!/^\d+$/.test(dur)) errors.push(`Value '${dur}' at 'durationSeconds' failed to satisfy constraint: Member must be a number`);
    else if (d < 900) errors.push(`Value '${dur}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900`);
    else if (d > 43200) errors.push(`Value '${dur}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200`);
    if (errors.length) {
      throw new AwsError('ValidationError', `${errors.length} validation error${errors.length > 1 ? 's' : ''} detected: ${errors.join('; ')}`);
    }
    let claims;
    try {
      ({ payload: claims } = await jwtVerify(token, this.openIdLocalJwks, { algorithms: ['RS256'] }));
    } catch (err) {
      if (err.code === 'ERR_JWT_EXPIRED') {
        throw new AwsError('ExpiredTokenException', 'Token expired: current date/time must be before the expiration date/time.');
      }
      if (err.code === 'ERR_JWKS_NO_MATCHING_KEY' || err.code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' || err.code === 'ERR_JWS_INVALID' || err.code === 'ERR_JWT_INVALID') {
        throw new AwsError('InvalidIdentityToken', "Couldn't verify signed JWT.");
      }
      throw new AwsError('InvalidIdentityToken', 'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)');
    }
    if (claims.iss !== OPENID_ISSUER) throw new AwsError('InvalidIdentityToken', 'No OpenIDConnect provider found in your account for ' + claims.iss);
    // The role's trust policy: aud = this identity pool, amr = authenticated.
    const amr = Array.isArray(claims.amr) ? claims.amr : [];
    if (roleArn !== this.opts.roleArn || claims.aud !== this.opts.identityPoolId || !amr.includes('authenticated')) {
      throw new AwsError('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity', 403);
    }
    if (d > this.opts.roleMaxSessionDuration) {
      throw new AwsError('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
    }
    const c = this.opts.creds.issue({ lifetime: d, identityId: claims.sub, role: roleArn, sessionName: name });
    const roleName = roleArn.split('/').pop();
    return `<AssumeRoleWithWebIdentityResponse xmlns="${STS_NS}">
  <AssumeRoleWithWebIdentityResult>
    <Audience>${xmlEscape(claims.aud)}</Audience>
    <AssumedRoleUser>
      <AssumedRoleId>${this.opts.roleId}:${xmlEscape(name)}</AssumedRoleId>
      <Arn>arn:aws:sts::${this.opts.accountId}:assumed-role/${xmlEscape(roleName)}/${xmlEscape(name)}</Arn>
    </AssumedRoleUser>
    <Provider>cognito-identity.amazonaws.com</Provider>
    <Credentials>
      <AccessKeyId>${c.accessKeyId}</AccessKeyId>
      <SecretAccessKey>${xmlEscape(c.secretAccessKey)}</SecretAccessKey>
      <SessionToken>${xmlEscape(c.sessionToken)}</SessionToken>
      <Expiration>${isoNoMillis(c.expiration.getTime())}</Expiration>
    </Credentials>
    <SubjectFromWebIdentityToken>${xmlEscape(claims.sub)}</SubjectFromWebIdentityToken>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata>
    <RequestId>${rid}</RequestId>
  </ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>
`;
  }
}

function stsError (type, code, message, rid) {
  return `<ErrorResponse xmlns="${STS_NS}">
  <Error>
    <Type>${type}</Type>
    <Code>${xmlEscape(code)}</Code>
    <Message>${xmlEscape(message)}</Message>
  </Error>
  <RequestId>${rid}</RequestId>
</ErrorResponse>
`;
}


