// Running the real genokey binary against the stand-in, for the sign-in
// tests: a profile per test (own callback port), `genokey login
// --no-browser` completed over HTTP, and the keyring read with secret-tool.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { startStandIn } from '../../aws-sim/index.mjs';
import { completeLogin } from './hosted-login.mjs';
import { scaled } from './timeouts.mjs';

export const GENOKEY = process.env.GENOKEY;

export async function freePort () {
  return await new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Runs a command; resolves { status, signal, stdout, stderr }. A command
 * still running after timeout (scaled, see timeouts.mjs) is killed, and its
 * stderr ends saying so. */
export function run (cmd, args, { env = {}, timeout = 60_000, onStdout } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const limit = scaled(timeout);
    const timer = setTimeout(() => {
      stderr += `\n[the test killed ${basename(cmd)} ${args[0] ?? ''}: still running after ${limit / 1000} s]\n`;
      child.kill('SIGKILL');
    }, limit);
    child.stdout.on('data', (d) => { stdout += d; onStdout?.(stdout, child); });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr });
    });
  });
}

// Under the sanitizer build, libsecret's own small leaks are suppressed by
// name in tests/lsan.supp, which needs full stacks (slow unwinding).
const SANITIZER_ENV = process.env.ASAN_OPTIONS
  ? { ASAN_OPTIONS: `${process.env.ASAN_OPTIONS}:fast_unwind_on_malloc=0` }
  : {};

export function genokey (args, options = {}) {
  return run(GENOKEY, args, { ...options, env: { ...SANITIZER_ENV, ...options.env } });
}

/** A stand-in profile file with its callback on @port, imported as @name. */
export async function importProfile (sim, { name, kind = 'public', port, extra = {} }) {
  const profile = JSON.parse(readFileSync(sim.info.profile_files[kind], 'utf8'));
  delete profile.redirect_uri;
  profile.redirect_uris = [`http://localhost:${port}/oauthCallback`];
  Object.assign(profile, extra);
  const dir = mkdtempSync(join(tmpdir(), 'gk-profile-'));
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(profile));
  const r = await genokey(['profile', 'import', file, '--name', name, '--replace']);
  if (r.status !== 0) throw new Error(`profile import failed: ${r.stderr}`);
  return file;
}

/**
 * `genokey login --no-browser --profile NAME`, signing in as @user through
 * the printed link. Resolves the login process's result.
 */
export async function login (sim, name, { user = sim.info.users[0], env = {}, password } = {}) {
  let started = false;
  let loginError = null;
  const result = await genokey(['login', '--no-browser', '--profile', name], {
    env: { GK_REPORT_TIMING: '1', ...env },
    onStdout (out) {
      const m = /^(http\S+)$/m.exec(out);
      if (m && !started) {
        started = true;
        completeLogin(m[1], { username: user.username, password: password ?? user.password })
          .catch((e) => { loginError = e; });
      }
    },
  });
  if (loginError) result.loginError = loginError;
  return result;
}

export function overheadMs (stderr) {
  const m = /sign-in overhead: ([0-9.]+) ms/.exec(stderr);
  return m ? Number(m[1]) : null;
}

export async function keyringLookup (profile, kind) {
  const r = await run('secret-tool', ['lookup', 'profile', profile, 'kind', kind]);
  return r.status === 0 ? r.stdout : null;
}

export async function keyringItems (profile) {
  const r = await run('secret-tool', ['search', '--all', 'profile', profile]);
  // Only labels and attributes; the secret lines are dropped right here.
  return (r.stdout + r.stderr).split('\n').filter((l) => /^(label|attribute\.)/.test(l)).join('\n');
}

export function parseCredentialProcess (stdout) {
  const j = JSON.parse(stdout);
  return { ...j, expiresAt: Date.parse(j.Expiration) };
}

/** A stand-in for test @t and profile @name (own callback port). */
export async function setUp (t, name, { kind = 'public', sim: simOptions = {}, extra } = {}) {
  const port = await freePort();
  const sim = await startStandIn({
    demo: false,
    redirectUris: [`http://localhost:${port}/oauthCallback`],
    ...simOptions,
  });
  t.after(() => sim.stop());
  sim.callbackPort = port;
  await importProfile(sim, { name, kind, port, extra });
  return sim;
}

export async function signIn (sim, name, options) {
  const r = await login(sim, name, options);
  assert.equal(r.loginError, undefined, String(r.loginError));
  assert.equal(r.status, 0, r.stderr);
  return r;
}

export async function credentialProcess (name, env) {
  const r = await genokey(['credential-process', '--profile', name], { env });
  assert.equal(r.status, 0, r.stderr);
  return parseCredentialProcess(r.stdout);
}

export async function awsS3Ls (sim, profile) {
  const home = process.env.HOME;
  mkdirSync(join(home, '.aws'), { recursive: true });
  writeFileSync(join(home, '.aws', 'config'),
    `[profile ${profile}]\ncredential_process = ${process.env.GENOKEY} credential-process --profile ${profile}\nregion = us-east-1\n`);
  return await run('aws', ['s3', 'ls', '--profile', profile], {
    env: { AWS_ENDPOINT_URL_S3: sim.info.s3_endpoint, AWS_EC2_METADATA_DISABLED: 'true' },
  });
}
