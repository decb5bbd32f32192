#!/usr/bin/env node
// Starts the local AWS stand-in, prints where everything is as one line of
// JSON on stdout, and runs until SIGTERM/SIGINT.
//
//   node tests/aws-sim/start.mjs [--state-dir DIR] [--credential-lifetime S] …
//
// Run with --help for every option.
import { parseArgs } from 'node:util';
import { startStandIn } from './index.mjs';

const spec = {
  'state-dir': { type: 'string', help: 'keep demo data and profile files here (default: a temporary directory, removed on exit)' },
  'credential-lifetime': { type: 'string', help: 'seconds identity-pool credentials live (default 3600)' },
  'id-token-lifetime': { type: 'string', help: 'seconds ID tokens live (default 3600)' },
  'access-token-lifetime': { type: 'string', help: 'seconds access tokens live (default: the ID token lifetime)' },
  'refresh-token-lifetime': { type: 'string', help: 'seconds refresh tokens live (default 30 days)' },
  'rotate-refresh-tokens': { type: 'boolean', help: 'rotate refresh tokens on use' },
  'refresh-token-grace': { type: 'string', help: 'seconds a rotated refresh token still works (default 0)' },
  'allow-unauthenticated': { type: 'boolean', help: 'allow GetId without Logins' },
  'no-classic-flow': { type: 'boolean', help: 'refuse GetOpenIdToken (basic flow off)' },
  'role-max-session': { type: 'string', help: 'the role\'s MaxSessionDuration in seconds (default 43200)' },
  'assume-role-lifetime': { type: 'string', help: 'seconds STS AssumeRole credentials live, whatever DurationSeconds asks (default: DurationSeconds)' },
  'imds-credential-lifetime': { type: 'string', help: 'seconds the instance role\'s credentials live (default 21600); they rotate with a quarter (at most 5 minutes) left' },
  'imds-no-role': { type: 'boolean', help: 'the instance metadata endpoint has no instance profile attached' },
  'no-imds': { type: 'boolean', help: 'start no instance metadata endpoint' },
  'redirect-uri': { type: 'string', multiple: true, help: 'registered callback URL (repeatable; default http://localhost:60151/oauthCallback)' },
  'bucket-region': { type: 'string', multiple: true, help: 'NAME=REGION: create a bucket in that region (repeatable)' },
  'clock-offset': { type: 'string', help: 'seconds the stand-in\'s clock runs ahead of this machine\'s (negative: behind), in every Date header and S3\'s signature-time checks (default 0)' },
  'deny-list-buckets': { type: 'boolean', help: 'the roles may not ListBuckets (no s3:ListAllMyBuckets): AccessDenied' },
  'bucket-versioning': { type: 'string', multiple: true, help: 'NAME=Enabled|Suspended: the bucket\'s versioning (repeatable; the bucket is made if needed)' },
  'latency-ms': { type: 'string', help: 'milliseconds every S3, STS and Cognito answer waits, as over a real network (default 0; real S3 is 20–80)' },
  'cognito-issuer': { type: 'boolean', help: 'ID tokens name their issuer as Cognito does, https://cognito-idp.REGION.amazonaws.com/POOL (the keys stay at info.jwks_uri)' },
  'no-demo': { type: 'boolean', help: 'start without demo data' },
  pretty: { type: 'boolean', help: 'indent the JSON' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
};

function usage () {
  let s = 'Usage: node tests/aws-sim/start.mjs [OPTION…]\n\nStarts the local AWS stand-in and prints its endpoints as JSON.\n\n';
  for (const [k, v] of Object.entries(spec)) s += `  --${k}${v.type === 'string' ? ' VALUE' : ''}\n      ${v.help}\n`;
  return s;
}

function seconds (name, v) {
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v)) {
    process.stderr.write(`start.mjs: --${name} needs a whole number of seconds, not '${v}'\n`);
    process.exit(2);
  }
  return Number(v);
}

let args;
try {
  args = parseArgs({
    options: Object.fromEntries(Object.entries(spec).map(([k, v]) => {
      const o = { type: v.type };
      if (v.multiple) o.multiple = true;
      if (v.short) o.short = v.short;
      return [k, o];
    })),
    allowPositionals: false,
  }).values;
} catch (e) {
  process.stderr.write(`start.mjs: ${e.message}\n\n${usage()}`);
  process.exit(2);
}
if (args.help) {
  process.stdout.write(usage());
  process.exit(0);
}

const bucketRegions = {};
for (const b of args['bucket-region'] || []) {
  const m = /^([a-z0-9.-]+)=([a-z0-9-]+)$/.exec(b);
  if (!m) {
    process.stderr.write(`start.mjs: --bucket-region needs NAME=REGION, not '${b}'\n`);
    process.exit(2);
  }
  bucketRegions[m[1]] = m[2];
}

const bucketVersioning = {};
for (const b of args['bucket-versioning'] || []) {
  const m = /^([a-z0-9.-]+)=(Enabled|Suspended)$/.exec(b);
  if (!m) {
    process.stderr.write(`start.mjs: --bucket-versioning needs NAME=Enabled or NAME=Suspended, not '${b}'\n`);
    process.exit(2);
  }
  bucketVersioning[m[1]] = m[2];
}

// Signal handlers come first: a signal that arrives while starting (or
// right after the JSON line) must still stop the services and clean up.
let latencyMs;
if (args['latency-ms'] !== undefined) {
  if (!/^\d+$/.test(args['latency-ms']) || Number(args['latency-ms']) > 60000) {
    process.stderr.write(`start.mjs: --latency-ms needs a whole number of milliseconds from 0 to 60000, not '${args['latency-ms']}'\n`);
    process.exit(2);
  }
  latencyMs = Number(args['latency-ms']);
}

let sim = null;
let pendingSignal = null;
let stopping = false;
async function stop (signal) {
  if (!sim) {
    pendingSignal = signal;
    return;
  }
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(1), 5000).unref();
  await sim.stop();
  process.exitCode = signal === 'SIGINT' ? 130 : 0;
  process.exit();
}
for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(sig, () => stop(sig));

try {
  sim = await startStandIn({
    stateDir: args['state-dir'],
    credentialLifetime: seconds('credential-lifetime', args['credential-lifetime']),
    idTokenLifetime: seconds('id-token-lifetime', args['id-token-lifetime']),
    accessTokenLifetime: seconds('access-token-lifetime', args['access-token-lifetime']),
    refreshTokenLifetime: seconds('refresh-token-lifetime', args['refresh-token-lifetime']),
    rotateRefreshTokens: args['rotate-refresh-tokens'] || undefined,
    refreshTokenGraceSeconds: seconds('refresh-token-grace', args['refresh-token-grace']),
    allowUnauthenticated: args['allow-unauthenticated'] || undefined,
    allowClassicFlow: args['no-classic-flow'] ? false : undefined,
    roleMaxSessionDuration: seconds('role-max-session', args['role-max-session']),
    assumeRoleLifetime: seconds('assume-role-lifetime', args['assume-role-lifetime']),
    imdsCredentialLifetime: seconds('imds-credential-lifetime', args['imds-credential-lifetime']),
    imdsRole: args['imds-no-role'] ? null : undefined,
    imds: args['no-imds'] ? false : undefined,
    redirectUris: args['redirect-uri'],
    bucketRegions,
    bucketVersioning,
    clockOffsetSeconds: seconds('clock-offset', args['clock-offset']),
    listBuckets: args['deny-list-buckets'] ? false : undefined,
    demo: args['no-demo'] ? false : undefined,
    latencyMs,
    cognitoIssuer: args['cognito-issuer'] || undefined,
  });
} catch (e) {
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
}

process.stdout.write(JSON.stringify(sim.info, null, args.pretty ? 2 : undefined) + '\n');

if (pendingSignal) stop(pendingSignal);
