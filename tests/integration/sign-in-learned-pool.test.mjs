// IGV's oauth-config.json has no aws_cognito_pool_id (IGV never reads it):
// such a file imports, and the first sign-in learns the user pool from the
// ID token's issuer — only in Cognito's exact form for the profile's region,
// verified against that pool's keys — and saves it in the profile. Run
// under keyring-session.sh, against the stand-in and the real genokey.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStandIn } from '../aws-sim/index.mjs';
import { freePort, genokey, keyringItems, login, signIn } from './lib/genokey-cli.mjs';

const CONFIG_HOME = process.env.XDG_CONFIG_HOME ?? join(process.env.HOME, '.config');
const savedProfile = (name) => join(CONFIG_HOME, 'genokey', 'profiles', `${name}.json`);

/**
 * The stand-in's profile written as a lab's IGV file: IGV's own key names,
 * a key Genokey ignores, and no aws_cognito_pool_id or issuer. The
 * stand-in's endpoints (keys, identity pool, STS, S3) stay, since AWS's
 * cannot be reached from here.
 */
async function importIgvStyle (sim, name, port, { replace = false } = {}) {
  const p = JSON.parse(readFileSync(sim.info.profile_file, 'utf8'));
  const igv = {
    client_id: p.client_id,
    auth_uri: p.authorization_endpoint,
    token_uri: p.token_endpoint,
    scope: 'email%20openid%20profile',
    redirect_uris: [`http://localhost:${port}/oauthCallback`],
    aws_region: p.aws_region,
    aws_cognito_fed_pool_id: p.aws_cognito_fed_pool_id,
    project_id: 'igv',
    jwks_uri: p.jwks_uri,
    revocation_endpoint: p.revocation_endpoint,
    cognito_identity_endpoint: p.cognito_identity_endpoint,
    sts_endpoint: p.sts_endpoint,
    endpoint_url: p.endpoint_url,
  };
  const file = join(mkdtempSync(join(tmpdir(), 'gk-igv-')), 'oauth-config.json');
  writeFileSync(file, JSON.stringify(igv));
  const r = await genokey(['profile', 'import', file, '--name', name, ...(replace ? ['--replace'] : [])]);
  assert.equal(r.status, 0, r.stderr);
}

async function showProfile (name) {
  const r = await genokey(['profile', 'show', name]);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

const jwksFetches = (sim) => sim.idp.log.filter((e) => e.path.endsWith('/.well-known/jwks.json')).length;

test('an IGV file without aws_cognito_pool_id signs in, learns the pool and keeps it', async (t) => {
  const port = await freePort();
  const sim = await startStandIn({ demo: false, cognitoIssuer: true, redirectUris: [`http://localhost:${port}/oauthCallback`] });
  t.after(() => sim.stop());
  sim.createBucket('lab-data');
  sim.putObject('lab-data', 'run 1/S1.bam', Buffer.from('BAM\x01'));
  await importIgvStyle(sim, 'igvlab', port);

  const before = await showProfile('igvlab');
  assert.equal(before.issuer ?? null, null);
  assert.equal(before.aws_cognito_pool_id ?? null, null);

  const r = await signIn(sim, 'igvlab');
  assert.match(r.stdout, /Signed in as ana@lab\.org/);
  assert.equal(jwksFetches(sim), 1, 'the pool\'s keys were fetched to verify the token');

  // Saved in the profile, every other key as imported.
  const saved = JSON.parse(readFileSync(savedProfile('igvlab'), 'utf8'));
  assert.equal(saved.aws_cognito_pool_id, 'us-east-1_DemoPool1');
  assert.equal(saved.project_id, 'igv');
  assert.equal(saved.auth_uri, sim.info.hosted_ui.authorization_endpoint);
  assert.equal(saved.scope, 'email%20openid%20profile');

  // A new process reads the issuer, and the Logins key built from it.
  const after = await showProfile('igvlab');
  assert.equal(after.issuer, 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_DemoPool1');
  assert.equal(after.logins_key, sim.info.logins_key);

  const ls = await genokey(['ls', '--profile', 'igvlab', 's3://lab-data/run 1/']);
  assert.equal(ls.status, 0, ls.stderr);
  assert.match(ls.stdout, /S1\.bam/);
});

test('a token whose issuer is not a Cognito pool of the region is refused; nothing is stored', async (t) => {
  const port = await freePort();
  // The stand-in's default issuer: http://127.0.0.1:PORT/us-east-1_DemoPool1.
  const sim = await startStandIn({ demo: false, redirectUris: [`http://localhost:${port}/oauthCallback`] });
  t.after(() => sim.stop());
  await importIgvStyle(sim, 'foreign', port);
  const before = readFileSync(savedProfile('foreign'), 'utf8');

  const r = await login(sim, 'foreign');
  assert.equal(r.loginError, undefined, String(r.loginError));
  assert.equal(r.status, 1);
  assert.ok(r.stderr.includes(`“${sim.info.issuer}”, which is not a Cognito user pool in us-east-1`), r.stderr);
  assert.match(r.stderr, /aws_cognito_pool_id/);
  assert.ok(!/eyJ[\w-]+\.eyJ/.test(r.stderr), 'no token in the message');

  assert.equal(jwksFetches(sim), 0, 'no keys fetched for an issuer of the wrong form');
  assert.equal(readFileSync(savedProfile('foreign'), 'utf8'), before);
  assert.equal(await keyringItems('foreign'), '');
  const status = JSON.parse((await genokey(['status', '--profile', 'foreign', '--json'])).stdout);
  assert.equal(status.state, 'signed-out');
});

test('a renewal for a profile that does not name its pool learns it the same way', async (t) => {
  const port = await freePort();
  const sim = await startStandIn({
    demo: false, cognitoIssuer: true, credentialLifetime: 60, redirectUris: [`http://localhost:${port}/oauthCallback`],
  });
  t.after(() => sim.stop());
  await importIgvStyle(sim, 'relearn', port);
  await signIn(sim, 'relearn');
  // The lab's file imported again over it: the pool id is gone, the
  // sign-in in the keyring stays.
  await importIgvStyle(sim, 'relearn', port, { replace: true });
  assert.equal(JSON.parse(readFileSync(savedProfile('relearn'), 'utf8')).aws_cognito_pool_id, undefined);

  // 60-second credentials: credential-process renews, verifying the new ID
  // token, and learns the pool from it.
  const fetchesBefore = jwksFetches(sim);
  const r = await genokey(['credential-process', '--profile', 'relearn']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(JSON.parse(r.stdout).AccessKeyId, /^ASIA/);
  assert.equal(jwksFetches(sim), fetchesBefore + 1);
  assert.equal(JSON.parse(readFileSync(savedProfile('relearn'), 'utf8')).aws_cognito_pool_id, 'us-east-1_DemoPool1');
});
