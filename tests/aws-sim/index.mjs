// The local AWS stand-in: Cognito hosted login, Cognito Identity, STS and
// S3 on 127.0.0.1 random ports, with demo data and generated Genokey
// profiles. See README.md in this directory.
import { generateKeyPair, randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { CredentialStore } from './lib/credstore.mjs';
import { HostedLogin } from './lib/idp.mjs';
import { IdentityService } from './lib/identity.mjs';
import { S3Service } from './lib/s3.mjs';
import { IamService } from './lib/iam.mjs';
import { ImdsService } from './lib/imds.mjs';
import { makeDemoData, DEMO_VERSION } from './lib/demo.mjs';
import { closeServer, stableUuid, b64url, randomAlnumLower, Latency, Clock } from './lib/util.mjs';

const genKey = promisify(generateKeyPair);

// RSA key generation takes 50–800 ms, so a pair is made as soon as this
// module loads (overlapping the caller's other imports) and the next pair
// is started whenever one is taken.
function keyPair () {
  const p = Promise.all([genKey('rsa', { modulusLength: 2048 }), genKey('rsa', { modulusLength: 2048 })]);
  p.catch(() => {});
  return p;
}
let nextKeys = keyPair();
function takeKeys () {
  const p = nextKeys;
  nextKeys = null;
  setImmediate(() => { if (!nextKeys) nextKeys = keyPair(); });
  return p || keyPair();
}

export const DEFAULT_USERS = [
  { username: 'ana', email: 'ana@lab.org', password: 'Genokey-demo-1', name: 'Ana Lab' },
  { username: 'ben', email: 'ben@lab.org', password: 'Genokey-demo-2', name: 'Ben Lab' },
];

export const DEFAULT_CORS = [{
  AllowedOrigins: ['*'],
  AllowedMethods: ['GET', 'HEAD'],
  AllowedHeaders: ['*'],
  ExposeHeaders: ['Content-Length', 'Content-Range', 'Accept-Ranges', 'ETag'],
  MaxAgeSeconds: 3000,
}];

const DEFAULTS = {
  region: 'us-east-1',
  poolId: 'us-east-1_DemoPool1',
  identityPoolId: 'us-east-1:7c2f4f1e-3d5a-4b9e-8f21-0a6b5c4d3e2f',
  accountId: '123456789012',
  roleArn: 'arn:aws:iam::123456789012:role/GenokeyDemoAuthRole',
  unauthRoleArn: 'arn:aws:iam::123456789012:role/GenokeyDemoUnauthRole',
  roleId: 'AROAGENOKEYDEMOROLE01',
  roleMaxSessionDuration: 43200,
  credentialLifetime: 3600,
  assumeRoleLifetime: null, // STS AssumeRole: null → DurationSeconds; e.g. 60 for renewal tests
  imds: true, // an IMDSv2 endpoint (info.imds_endpoint)
  imdsRole: 'GenokeyDemoInstanceRole', // null: no instance profile attached
  imdsCredentialLifetime: 6 * 3600,
  idTokenLifetime: 3600,
  accessTokenLifetime: null, // defaults to idTokenLifetime
  refreshTokenLifetime: 30 * 86400,
  rotateRefreshTokens: false,
  refreshTokenGraceSeconds: 0,
  allowUnauthenticated: false,
  allowClassicFlow: true,
  redirectUris: ['http://localhost:60151/oauthCallback'],
  logoutUris: null, // defaults to redirectUris + http://localhost:60151/signedOut
  bucketRegions: {},
  regionErrors: 'redirect', // or 'malformed': see lib/s3.mjs checkRegion
  users: DEFAULT_USERS,
  demo: true,
  demoBucket: 'demo-lab',
  demoPrefix: 'cohort1/SAMPLE1/',
  demoCors: DEFAULT_CORS,
  stateDir: null,
  publicClientId: 'gkdemopublicclient00000001',
  confidentialClientId: 'gkdemoconfidentialclient01',
  clientSecret: null, // random per start unless given
  appName: 'Genokey demo lab',
  latencyMs: 0, // added to every S3, STS, Cognito Identity and hosted-login answer
  cognitoIssuer: false, // ID tokens' iss https://cognito-idp.<region>.amazonaws.com/<pool id>, as on AWS
  clockOffsetSeconds: 0, // the stand-in's clock runs this far ahead of this machine's (Date headers, S3's checks)
  listBuckets: true, // the roles may ListBuckets (s3:ListAllMyBuckets); false: AccessDenied
  bucketVersioning: {}, // bucket → 'Enabled' | 'Suspended'
};

function sharedDemoDir () {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  return join(tmpdir(), `genokey-aws-sim-${uid}`, `demo-v${DEMO_VERSION}`);
}

/**
 * Starts the stand-in. Options: see DEFAULTS above and README.md.
 * Resolves to { info, s3Log, issueCredentials, putObject, setBucketCors,
 * createBucket, throttle, expireCredentials, createUser, createAccessKey,
 * deactivateAccessKey, createRole, describeCredentials,
 * requirePrincipalTag, setLatency, options, stop }.
 */
export async function startStandIn (options = {}) {
  const cfg = { ...DEFAULTS };
  for (const [k, v] of Object.entries(options)) if (v !== undefined) cfg[k] = v;
  if (cfg.accessTokenLifetime === null) cfg.accessTokenLifetime = cfg.idTokenLifetime;
  if (!cfg.logoutUris) cfg.logoutUris = [...new Set([...cfg.redirectUris, 'http://localhost:60151/signedOut'])];
  if (!cfg.clientSecret) cfg.clientSecret = randomAlnumLower(51);

  const ownState = !cfg.stateDir;
  const stateDir = cfg.stateDir ? resolve(cfg.stateDir) : mkdtempSync(join(tmpdir(), 'gk-aws-sim-'));
  mkdirSync(stateDir, { recursive: true });
  // Without a state dir, the (read-only) demo files are shared between
  // runs in a per-user cache, made once.
  const demoDir = ownState ? sharedDemoDir() : join(stateDir, 'demo');

  const [[idpKey, openIdKey], demo] = await Promise.all([
    takeKeys(),
    cfg.demo ? makeDemoData(demoDir) : Promise.resolve(null),
  ]);

  const users = cfg.users.map((u) => ({ ...u, sub: u.sub || stableUuid('user/' + u.username) }));
  const clients = [
    {
      client_id: cfg.publicClientId,
      client_secret: null,
      redirect_uris: cfg.redirectUris,
      logout_uris: cfg.logoutUris,
      allowed_scopes: ['openid', 'email', 'profile', 'phone', 'aws.cognito.signin.user.admin'],
    },
    {
      client_id: cfg.confidentialClientId,
      client_secret: cfg.clientSecret,
      redirect_uris: cfg.redirectUris,
      logout_uris: cfg.logoutUris,
      allowed_scopes: ['openid', 'email', 'profile', 'phone', 'aws.cognito.signin.user.admin'],
    },
  ];
  const creds = new CredentialStore();
  const latency = new Latency(cfg.latencyMs);
  cfg.latency = latency;
  const clock = new Clock(cfg.clockOffsetSeconds);
  cfg.clock = clock;
  cfg.users = users;
  cfg.clients = clients;
  cfg.creds = creds;
  cfg.clientIds = clients.map((c) => c.client_id);
  cfg.signingKey = { ...idpKey, kid: b64url(randomBytes(32)) };
  cfg.openIdKey = { ...openIdKey, kid: 'us-east-1-' + randomBytes(4).toString('hex') };

  const idp = await new HostedLogin(cfg).start();
  cfg.idp = idp;
  const identity = await new IdentityService(cfg).start();
  const s3 = await new S3Service({ creds, defaultRegion: cfg.region, regionErrors: cfg.regionErrors, latency, clock, now: () => clock.now() }).start();
  s3.listAllBuckets = cfg.listBuckets;
  const iam = await new IamService({ creds, accountId: cfg.accountId, latency, clock }).start();
  const imds = cfg.imds
    ? await new ImdsService({ creds, accountId: cfg.accountId, region: cfg.region, roleName: cfg.imdsRole, credentialLifetime: cfg.imdsCredentialLifetime }).start()
    : null;

  const buckets = new Set();
  if (cfg.demo) {
    s3.createBucket(cfg.demoBucket, cfg.bucketRegions[cfg.demoBucket] || cfg.region);
    buckets.add(cfg.demoBucket);
    const ct = { bam: 'application/octet-stream', bai: 'application/octet-stream', vcf: 'application/gzip', tbi: 'application/octet-stream', bedpe: 'text/tab-separated-values', cnv: 'text/tab-separated-values', fasta: 'text/plain', fai: 'text/plain' };
    for (const [kind, name] of Object.entries(demo.files)) {
      s3.putObject(cfg.demoBucket, cfg.demoPrefix + name, readFileSync(join(demoDir, name)), { contentType: ct[kind] });
    }
    if (cfg.demoCors) s3.setBucketCors(cfg.demoBucket, cfg.demoCors);
  }
  for (const [name, region] of Object.entries(cfg.bucketRegions)) {
    s3.createBucket(name, region);
    buckets.add(name);
  }
  for (const [name, status] of Object.entries(cfg.bucketVersioning)) {
    if (!s3.buckets.has(name)) {
      s3.createBucket(name);
      buckets.add(name);
    }
    s3.setBucketVersioning(name, status);
  }

  const hosted = idp.endpoints();
  const profile = {
    client_id: cfg.publicClientId,
    authorization_endpoint: hosted.authorization_endpoint,
    token_endpoint: hosted.token_endpoint,
    scope: 'email openid profile',
    redirect_uris: cfg.redirectUris,
    aws_region: cfg.region,
    aws_cognito_pool_id: cfg.poolId,
    aws_cognito_fed_pool_id: cfg.identityPoolId,
    issuer: idp.issuer,
    jwks_uri: idp.jwksUri,
    revocation_endpoint: hosted.revocation_endpoint,
    userinfo_endpoint: hosted.userinfo_endpoint,
    logout_endpoint: hosted.logout_endpoint,
    cognito_identity_endpoint: identity.identityEndpoint,
    sts_endpoint: identity.stsEndpoint,
    endpoint_url: s3.endpoint,
  };
  const profileFiles = {
    public: join(stateDir, 'profile.json'),
    confidential: join(stateDir, 'profile-confidential.json'),
    basic: join(stateDir, 'profile-basic.json'),
  };
  writeFileSync(profileFiles.public, JSON.stringify(profile, null, 2) + '\n');
  writeFileSync(profileFiles.confidential, JSON.stringify({ ...profile, client_id: cfg.confidentialClientId, client_secret: cfg.clientSecret }, null, 2) + '\n', { mode: 0o600 });
  chmodSync(profileFiles.confidential, 0o600);
  writeFileSync(profileFiles.basic, JSON.stringify({ ...profile, aws_cognito_role_arn: cfg.roleArn }, null, 2) + '\n');

  const info = {
    region: cfg.region,
    pool_id: cfg.poolId,
    identity_pool_id: cfg.identityPoolId,
    role_arn: cfg.roleArn,
    issuer: idp.issuer,
    jwks_uri: profile.jwks_uri,
    logins_key: identity.providerName,
    hosted_ui: hosted,
    cognito_identity_endpoint: identity.identityEndpoint,
    sts_endpoint: identity.stsEndpoint,
    s3_endpoint: s3.endpoint,
    iam_endpoint: iam.endpoint,
    imds_endpoint: imds ? imds.endpoint : null,
    imds_role_arn: imds && cfg.imdsRole ? imds.roleArn : null,
    account_id: cfg.accountId,
    clients: {
      public: { client_id: cfg.publicClientId },
      confidential: { client_id: cfg.confidentialClientId, client_secret: cfg.clientSecret },
    },
    redirect_uris: cfg.redirectUris,
    logout_uris: cfg.logoutUris,
    users: users.map((u) => ({ username: u.username, email: u.email, password: u.password, sub: u.sub })),
    profile_file: profileFiles.public,
    profile_files: profileFiles,
    state_dir: stateDir,
    buckets: [...buckets].sort(),
    demo: cfg.demo
      ? {
          bucket: cfg.demoBucket,
          prefix: cfg.demoPrefix,
          ...Object.fromEntries(Object.entries(demo.files).map(([k, v]) => [k, cfg.demoPrefix + v])),
          local_dir: demoDir,
        }
      : null,
  };

  // A temporary state dir goes away even when the caller exits without
  // stop() (a failed test, process.exit on a timeout).
  const cleanup = () => { if (ownState) rmSync(stateDir, { recursive: true, force: true }); };
  process.once('exit', cleanup);

  let stopped = false;
  const sim = {
    info,
    options: cfg,
    s3Log: s3.log,
    idp,
    identity,
    s3,
    iam,
    imds,
    creds,
    // An IAM user with one access key: { user, accessKeyId, secretAccessKey }.
    // canReadOwnKeys: false denies it ListAccessKeys/GetAccessKeyLastUsed.
    createUser (name, opts) {
      return iam.createUser(name, opts);
    },
    createAccessKey (userName, opts) {
      return iam.createAccessKey(userName, opts);
    },
    // Deactivates an access key (refused by S3, STS and IAM from then on).
    deactivateAccessKey (accessKeyId) {
      const c = creds.byKey.get(accessKeyId);
      if (c) c.status = 'Inactive';
    },
    // A role STS AssumeRole can reach: { name, maxSessionDuration,
    // principals: [ARNs trusted, or 'arn:aws:iam::ACCOUNT:root'],
    // externalId }. Returns { arn, ... }.
    createRole (role) {
      return identity.createRole(role);
    },
    // Which principal, session tags and source identity credentials carry.
    describeCredentials (accessKeyId) {
      const c = creds.byKey.get(accessKeyId);
      if (!c) return null;
      return { arn: identity.principalArn(c), tags: { ...c.tags }, sourceIdentity: c.sourceIdentity ?? null, chained: Boolean(c.chained), expiration: c.expiration };
    },
    // S3 answers AccessDenied for @bucket unless the caller's session
    // carries the tag @key=@value (a bucket policy on aws:PrincipalTag).
    requirePrincipalTag (bucket, key, value) {
      s3.requirePrincipalTag(bucket, key, value);
    },
    async issueCredentials ({ lifetime = cfg.credentialLifetime } = {}) {
      const c = creds.issue({ lifetime, identityId: null, role: cfg.roleArn, sessionName: 'test' });
      return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration: c.expiration };
    },
    // Credentials that have already expired (for ExpiredToken tests).
    async issueExpiredCredentials () {
      const c = creds.issue({ lifetime: -60 });
      return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration: c.expiration };
    },
    expireCredentials (accessKeyId) {
      creds.expire(accessKeyId);
    },
    putObject (bucket, key, bytes, opts) {
      if (!s3.buckets.has(bucket)) buckets.add(bucket);
      const etag = s3.putObject(bucket, key, bytes, opts);
      info.buckets = [...buckets].sort();
      return etag;
    },
    setBucketCors (bucket, rules) {
      s3.setBucketCors(bucket, rules);
    },
    createBucket (name, region = cfg.region) {
      s3.createBucket(name, region);
      buckets.add(name);
      info.buckets = [...buckets].sort();
    },
    // 'redirect' (301) or 'malformed' (400 with <Region>) for requests
    // signed for another region than the bucket's.
    setRegionErrors (mode) {
      s3.regionErrors = mode;
    },
    // The next n Cognito Identity calls (or STS calls with service 'sts')
    // answer TooManyRequestsException (Throttling for STS).
    throttle (n = 1, service = 'identity') {
      identity.throttled[service === 'sts' ? 'sts' : 'identity'] = n;
    },
    // As for a role without s3:ListBucket on @bucket: listings are refused
    // and a missing key is 403 AccessDenied rather than 404.
    denyListing (bucket, denied = true) {
      if (denied) s3.listingDenied.add(bucket);
      else s3.listingDenied.delete(bucket);
    },
    // Versioning of @bucket: 'Enabled' or 'Suspended' (as an admin's
    // put-bucket-versioning would set it).
    setBucketVersioning (bucket, status) {
      s3.setBucketVersioning(bucket, status);
    },
    // Whether the roles may ListBuckets (s3:ListAllMyBuckets). A role
    // scoped to its buckets may not: ListBuckets is then AccessDenied.
    allowListBuckets (allowed = true) {
      s3.listAllBuckets = Boolean(allowed);
      cfg.listBuckets = Boolean(allowed);
    },
    // The stand-in's clock runs @seconds ahead of this machine's (negative:
    // behind), as a wrong clock here would look from AWS: Date headers and
    // S3's signature-time checks follow it.
    setClockOffset (seconds) {
      clock.set(seconds);
      cfg.clockOffsetSeconds = clock.offsetSeconds;
    },
    // Every answer from now on comes @ms later (0 to 60000; 0 turns it
    // off). Requests already waiting keep the delay they started with.
    setLatency (ms) {
      latency.set(ms);
    },
    get latencyMs () {
      return latency.ms;
    },
    async stop () {
      if (stopped) return;
      stopped = true;
      await Promise.all([idp.server, identity.identityServer, identity.stsServer, s3.server, iam.server, imds?.server].filter(Boolean).map(closeServer));
      process.removeListener('exit', cleanup);
      cleanup();
    },
  };
  return sim;
}
