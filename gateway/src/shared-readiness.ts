import type { ReadinessReport } from '@gatehouse/shared';

/** How long a readiness answer is reused: load balancers poll often, from many nodes. */
export const READINESS_CACHE_MS = 1_000;

/**
 * Wraps a readiness check so that `/readyz`, which is public, cannot multiply upstream
 * traffic. Enforces:
 * - concurrent callers share the one check in flight;
 * - a finished answer (ready or not) is reused for `ttlMs` of the injected clock, counted
 *   from when it finished;
 * - a check that throws is not cached (the next caller tries again).
 *
 * @example
 * const readyz = sharedReadiness(upstreamReadiness(...), { ttlMs: 1000, now: () => performance.now() });
 */
export function sharedReadiness(
  check: () => Promise<ReadinessReport>,
  options: { ttlMs: number; now: () => number },
): () => Promise<ReadinessReport> {
  const { ttlMs, now } = options;
  let inFlight: Promise<ReadinessReport> | undefined;
  let cached: { report: ReadinessReport; at: number } | undefined;
  return () => {
    if (inFlight) return inFlight;
    if (cached && now() - cached.at < ttlMs) return Promise.resolve(cached.report);
    inFlight = check().then(
      (report) => {
        cached = { report, at: now() };
        inFlight = undefined;
        return report;
      },
      (err: unknown) => {
        inFlight = undefined;
        throw err;
      },
    );
    return inFlight;
  };
}
