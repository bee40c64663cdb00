import { createReadiness, type ReadinessReport } from '@gatehouse/shared';
import type { UpstreamMember, UpstreamPool } from './proxy/upstream-pool.js';

/**
 * Readiness of the gateway: for each upstream, at least one replica answers its own `/readyz`
 * with 2xx within `timeoutMs`. Checks run in parallel and are bounded, so `/readyz` never
 * hangs on a service that accepts connections but does not answer. Each answer is also the
 * pool's health signal: a replica that is unreachable or not ready is taken out of rotation,
 * one that answers 2xx is put back. With one replica the report reads as it always has; with
 * several, a prefix is ready as soon as one replica is, and not ready lists every replica's
 * problem.
 *
 * @example
 * const readiness = upstreamReadiness({ auth: authProxy.pool }, fetch, 1000);
 * await readiness(); // { ready: false, checks: { auth: { ready: false, error: '...' } } }
 */
export function upstreamReadiness(
  pools: Readonly<Record<string, UpstreamPool>>,
  fetchFn: typeof fetch,
  timeoutMs: number,
): () => Promise<ReadinessReport> {
  const checkMember = async (pool: UpstreamPool, member: UpstreamMember, signal: AbortSignal) => {
    try {
      await memberReady(member.origin, fetchFn, signal);
    } catch (err) {
      pool.markDown(member, (err as Error).message);
      throw err;
    }
    pool.markUp(member);
  };
  const checks = Object.fromEntries(
    Object.entries(pools).map(([name, pool]) => [
      name,
      async (signal: AbortSignal) => {
        if (pool.members.length === 1) return checkMember(pool, pool.members[0]!, signal);
        try {
          await Promise.any(pool.members.map((member) => checkMember(pool, member, signal)));
        } catch (err) {
          const reasons = (err as AggregateError).errors.map(
            (reason: Error, i) => `${pool.members[i]!.origin} ${reason.message}`,
          );
          throw new Error(`no replica ready: ${reasons.join('; ')}`, { cause: err });
        }
      },
    ]),
  );
  return createReadiness(checks, timeoutMs);
}

async function memberReady(origin: string, fetchFn: typeof fetch, signal: AbortSignal) {
  let res: globalThis.Response;
  try {
    res = await fetchFn(`${origin}/readyz`, { signal, headers: { accept: 'application/json' } });
  } catch (err) {
    throw new Error(`unreachable (${describeFetchError(err)})`, { cause: err });
  }
  await res.body?.cancel();
  if (!res.ok) throw new Error(`not ready (its /readyz answered ${res.status})`);
}

/** `fetch failed` says nothing; the system error code (ECONNREFUSED, ...) is in the cause. */
function describeFetchError(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown } } | null)?.cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  return err instanceof Error ? err.message : String(err);
}
