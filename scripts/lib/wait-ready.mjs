import { setTimeout as delay } from 'node:timers/promises';

const POLL_INTERVAL_MS = 250;
const PROBE_TIMEOUT_MS = 1_000;

/**
 * Polls the gateway's /readyz (which includes both upstreams) until it answers 200.
 * `onSlow` fires once when it is still not ready after `slowAfterMs`, with the last answer
 * (or null when the gateway itself is not answering), so the developer sees why.
 *
 * @returns {Promise<boolean>} true when ready, false when `shouldStop()` ended the wait
 */
export async function waitForReady(gatewayUrl, { shouldStop, onSlow, slowAfterMs = 15_000 }) {
  const started = Date.now();
  let warned = false;
  while (!shouldStop()) {
    const answer = await probe(`${gatewayUrl}/readyz`);
    if (answer?.status === 200) return true;
    if (!warned && Date.now() - started > slowAfterMs) {
      warned = true;
      onSlow(answer);
    }
    await delay(POLL_INTERVAL_MS);
  }
  return false;
}

async function probe(url) {
  try {
    const response = await globalThis.fetch(url, {
      signal: globalThis.AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    return { status: response.status, body: await response.text() };
  } catch {
    return null;
  }
}
