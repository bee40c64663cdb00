import { createReadiness, type ReadinessCheck, type ReadinessReport } from '@gatehouse/shared';
import type { ActiveRoute } from './route-table/route-table.js';
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
  const checks = Object.fromEntries(
    Object.entries(pools).map(([name, pool]) => [name, poolCheck(pool, fetchFn, false)]),
  );
  return createReadiness(checks, timeoutMs);
}

/**
 * The gateway's `/readyz`: the auth-service decides it, and without ROUTES_FILE (`routesDecide`)
 * so does the api-service, as always. With ROUTES_FILE, each route is checked in parallel and
 * reported under `details.routes` without deciding: one team's service being down must not
 * take the gateway out of its load balancer for every other route. A route's service that
 * has no `/readyz` (404, 405) counts as answering.
 */
export function gatewayReadiness(options: {
  auth: UpstreamPool;
  /** The routes in force, read on every check (they change on reload). */
  routes: () => readonly ActiveRoute[];
  routesDecide: boolean;
  fetch: typeof fetch;
  timeoutMs: number;
}): () => Promise<ReadinessReport> {
  const { routes, routesDecide, timeoutMs } = options;
  const routeChecks = () =>
    Object.fromEntries(
      routes().map((route) => [
        route.name,
        poolCheck(route.upstream.pool, options.fetch, !routesDecide),
      ]),
    );
  const auth = { auth: poolCheck(options.auth, options.fetch, false) };
  if (routesDecide) return () => createReadiness({ ...auth, ...routeChecks() }, timeoutMs)();
  const decide = createReadiness(auth, timeoutMs);
  return async () => {
    const [report, routeReport] = await Promise.all([
      decide(),
      createReadiness(routeChecks(), timeoutMs)(),
    ]);
    return { ...report, details: { ...report.details, routes: routeReport.checks } };
  };
}

/**
 * At least one replica answers its own `/readyz` with 2xx (or, `lenient`, with anything but
 * a 5xx or 429); each answer is also the pool's health signal.
 */
function poolCheck(pool: UpstreamPool, fetchFn: typeof fetch, lenient: boolean): ReadinessCheck {
  const checkMember = async (member: UpstreamMember, signal: AbortSignal) => {
    try {
      await memberReady(member.origin, fetchFn, signal, lenient);
    } catch (err) {
      pool.markDown(member, (err as Error).message);
      throw err;
    }
    pool.markUp(member);
  };
  return async (signal) => {
    if (pool.members.length === 1) return checkMember(pool.members[0]!, signal);
    try {
      await Promise.any(pool.members.map((member) => checkMember(member, signal)));
    } catch (err) {
      const reasons = (err as AggregateError).errors.map(
        (reason: Error, i) => `${pool.members[i]!.origin} ${reason.message}`,
      );
      throw new Error(`no replica ready: ${reasons.join('; ')}`, { cause: err });
    }
  };
}

async function memberReady(
  origin: string,
  fetchFn: typeof fetch,
  signal: AbortSignal,
  lenient: boolean,
) {
  let res: globalThis.Response;
  try {
    res = await fetchFn(`${origin}/readyz`, { signal, headers: { accept: 'application/json' } });
  } catch (err) {
    throw new Error(`unreachable (${describeFetchError(err)})`, { cause: err });
  }
  await res.body?.cancel();
  if (lenient ? res.status >= 500 || res.status === 429 : !res.ok)
    throw new Error(`not ready (its /readyz answered ${res.status})`);
}

/** `fetch failed` says nothing; the system error code (ECONNREFUSED, ...) is in the cause. */
function describeFetchError(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown } } | null)?.cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  return err instanceof Error ? err.message : String(err);
}
