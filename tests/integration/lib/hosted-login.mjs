// Completes a sign-in that `genokey login --no-browser` started: opens the
// printed authorization link, fills the stand-in's hosted login form over
// plain HTTP and follows the redirect to Genokey's loopback listener, as a
// browser would. Returns { status, elapsedMs } of the listener's answer.
export async function completeLogin (authorizeUrl, { username, password }) {
  const u = new URL(authorizeUrl);
  let r = await fetch(u, { redirect: 'manual' });
  if (r.status !== 302) throw new Error(`authorize answered ${r.status}: ${await r.text()}`);
  const loginUrl = new URL(r.headers.get('location'), u);
  r = await fetch(loginUrl);
  const html = await r.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&');
  if (!csrf || !action) throw new Error('no login form');
  r = await fetch(new URL(action, loginUrl), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, username, password }).toString(),
  });
  if (r.status !== 302) throw new Error(`login answered ${r.status}`);
  const back = new URL(r.headers.get('location'));
  const started = performance.now();
  r = await fetch(back, { redirect: 'manual' });
  await r.text();
  return { status: r.status, elapsedMs: performance.now() - started };
}
