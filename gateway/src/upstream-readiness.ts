import { createReadiness, type ReadinessReport } from '@gatehouse/shared';

/**
 * Readiness of the gateway: each upstream answers its own `/readyz` with 2xx within
 * `timeoutMs`. Checks run in parallel and are bounded, so `/readyz` never hangs on a
 * service that accepts connections but does not answer.
 *
 * @example
 * const readiness = upstreamReadiness({ auth: 'http://auth:4001' }, fetch, 1000);
 * await readiness(); // { ready: false, checks: { auth: { ready: false, error: '...' } } }
 */
export function upstreamReadiness(
  upstreams: Readonly<Record<string, string>>,
  fetchFn: typeof fetch,
  timeoutMs: number,
): () => Promise<ReadinessReport> {
  const checks = Object.fromEntries(
    Object.entries(upstreams).map(([name, origin]) => [
      name,
      async (signal: AbortSignal) => {
        let res: globalThis.Response;
        try {
          res = await fetchFn(`${origin}/readyz`, {
            signal,
            headers: { accept: 'application/json' },
          });
        } catch (err) {
          throw new Error(`unreachable (${describeFetchError(err)})`, { cause: err });
        }
        await res.body?.cancel();
        if (!res.ok) throw new Error(`not ready (its /readyz answered ${res.status})`);
      },
    ]),
  );
  return createReadiness(checks, timeoutMs);
}

/** `fetch failed` says nothing; the system error code (ECONNREFUSED, ...) is in the cause. */
function describeFetchError(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown } } | null)?.cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  return err instanceof Error ? err.message : String(err);
}
