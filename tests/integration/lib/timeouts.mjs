// How long an end-to-end test waits before it gives up. Every limit exists
// to turn a hang into a message that names what was awaited, never to
// measure speed, so each is far above what a loaded 2-core machine needs,
// and GK_TEST_TIMEOUT_FACTOR (a number >= 1; .ci/run raises it for the
// sanitizer build, where everything Genokey does is several times slower)
// stretches them all.
export const TIMEOUT_FACTOR = Math.max(1, Number(process.env.GK_TEST_TIMEOUT_FACTOR) || 1);

export function scaled (ms) {
  return Math.round(ms * TIMEOUT_FACTOR);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Polls fn until it returns something truthy, and returns that. Gives up
// after timeoutMs (scaled) with "timed out after N s waiting for <what>",
// plus describe()'s account of the state, when given.
export async function waitUntil (what, fn, { timeoutMs = 60_000, intervalMs = 150, describe } = {}) {
  const limit = scaled(timeoutMs);
  const end = Date.now() + limit;
  let last;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) {
      const why = last ? ` (last error: ${last.message})` : '';
      const state = describe ? `\n${await describe()}` : '';
      throw new Error(`timed out after ${limit / 1000} s waiting for ${what}${why}${state}`);
    }
    await sleep(intervalMs);
  }
}
