// Renewal over time: with 60-second credentials from the stand-in,
// `genokey credential-process` keeps handing out valid credentials across
// several expiries, and the last ones still work for `aws s3 ls`.
// Runs under keyring-session.sh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { awsS3Ls, credentialProcess, setUp, signIn } from './lib/genokey-cli.mjs';

test('60-second credentials stay valid through credential-process across expiries', async (t) => {
  const sim = await setUp(t, 'short', { sim: { credentialLifetime: 60 } });
  await signIn(sim, 'short');
  const seen = new Set();
  const until = Date.now() + 150_000;
  while (Date.now() < until) {
    const c = await credentialProcess('short');
    assert.ok(c.expiresAt > Date.now(), 'never expired credentials');
    seen.add(c.AccessKeyId);
    await new Promise((resolve) => setTimeout(resolve, 20_000));
  }
  assert.ok(seen.size >= 3, `renewed several times (${seen.size} keys)`);
  // and the last ones work on S3
  sim.createBucket('short-bucket', 'us-east-1');
  const aws = await awsS3Ls(sim, 'short');
  assert.equal(aws.status, 0, aws.stderr);
  assert.match(aws.stdout, /short-bucket/);
});
