// Completes a sign-in that `genokey login --no-browser` started: opens the
// printed authorization link, fills the stand-in's hosted login form over
// plain HTTP and follows the redirect to Genokey's loopback listener, as a
// browser would. Returns { status, elapsedMs } of the listener's answer.
import { submitLoginForm } from '../../aws-sim/lib/login.mjs';

export async function completeLogin (authorizeUrl, credentials) {
  const back = await submitLoginForm(authorizeUrl, credentials);
  const started = performance.now();
  const r = await fetch(back, { redirect: 'manual' });
  await r.text();
  return { status: r.status, elapsedMs: performance.now() - started };
}
