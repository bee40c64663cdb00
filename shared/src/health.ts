/** A readiness check: resolves when the dependency is usable, rejects (or times out) when not. */
export type ReadinessCheck = (signal: AbortSignal) => Promise<void>;

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, { ready: boolean; error?: string }>;
  /** What is worth knowing but never fails readiness (e.g. a revocation feed out of reach). */
  details?: Record<string, unknown>;
}

/**
 * Runs every check in parallel, each bounded by `timeoutMs`, so `/readyz` never hangs;
 * `details` adds what is reported without deciding readiness.
 *
 * @example
 * const readiness = createReadiness({ jwks: (signal) => fetchJwks(signal) }, 1000);
 * const report = await readiness(); // { ready, checks: { jwks: { ready: true } } }
 */
export function createReadiness(
  checks: Record<string, ReadinessCheck>,
  timeoutMs = 1000,
  details?: () => Record<string, unknown>,
): () => Promise<ReadinessReport> {
  return async () => {
    const entries = await Promise.all(
      Object.entries(checks).map(
        async ([name, check]) => [name, await runCheck(check, timeoutMs)] as const,
      ),
    );
    return {
      ready: entries.every(([, result]) => result.ready),
      checks: Object.fromEntries(entries),
      ...(details && { details: details() }),
    };
  };
}

async function runCheck(
  check: ReadinessCheck,
  timeoutMs: number,
): Promise<{ ready: boolean; error?: string }> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    await Promise.race([check(controller.signal), timeout]);
    return { ready: true };
  } catch (err) {
    return { ready: false, error: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}
