/** The logger shape a retry log needs (pino's `debug/warn(obj, msg)`). */
export interface RetryLogger {
  debug?(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface RetryLog {
  /** One failed attempt: debug while starting up, then warn, at most once per interval. */
  failed(data: object, message: string, err: unknown): void;
  /** A success ends the failure streak; the next failure warns at once again. */
  succeeded(): void;
}

/**
 * Logging for something retried in the background (a JWKS fetch, provider discovery). Services
 * start together, so during the first `graceMs` a peer not answering yet is expected and logs at
 * debug. After that a failure is a warn with its cause (`connect ECONNREFUSED 127.0.0.1:4001`,
 * never a stack), and repeated failures give one line per `intervalMs` with how many there were.
 *
 * @example
 * const retries = retryLog({ logger, now: Date.now });
 * retries.failed({ jwks_url: url }, 'JWKS fetch failed', err);
 */
export function retryLog(options: {
  logger: RetryLogger;
  now: () => number;
  graceMs?: number;
  intervalMs?: number;
}): RetryLog {
  const { logger, now } = options;
  const startedAt = now();
  const graceMs = options.graceMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 60_000;
  let lastWarnAt = -Infinity;
  let suppressed = 0;
  return {
    failed(data, message, err) {
      const cause = describeCause(err);
      if (now() - startedAt < graceMs) {
        logger.debug?.({ ...data, cause }, `${message} (still starting; retrying)`);
        return;
      }
      if (now() - lastWarnAt < intervalMs) {
        suppressed += 1;
        return;
      }
      const failures = suppressed + 1;
      logger.warn(
        { ...data, cause, ...(failures > 1 ? { failures } : {}) },
        failures > 1 ? `${message} (${failures} times since the last report)` : message,
      );
      lastWarnAt = now();
      suppressed = 0;
    },
    succeeded() {
      lastWarnAt = -Infinity;
      suppressed = 0;
    },
  };
}

export interface OutageLog {
  /** A failed attempt: only the first of an outage is logged (and the escalation below). */
  down(data: object, message: string): void;
  /** A successful attempt: logs the end of an outage, at the level its start had. */
  up(data: object, message: string): void;
}

/**
 * Logging for a dependency polled in the background whose outage is reported once when it
 * starts and once when it ends (the revocation feed). Services start together, so a dependency
 * that has never answered yet is expected to fail for the first `graceMs`: that outage, and its
 * end, log at debug. A failure once it has answered, or still failing after `graceMs`, is a warn.
 *
 * @example
 * const outage = outageLog({ logger, now: Date.now });
 * outage.down({ url }, 'revocation feed unreachable'); // in the catch
 * outage.up({ url }, 'revocation feed reachable again'); // after a success
 */
export function outageLog(options: {
  logger: RetryLogger;
  now: () => number;
  graceMs?: number;
}): OutageLog {
  const { logger, now } = options;
  const startedAt = now();
  const graceMs = options.graceMs ?? 10_000;
  let answered = false;
  let outage: 'none' | 'debug' | 'warn' = 'none';
  const starting = () => !answered && now() - startedAt < graceMs;
  return {
    down(data, message) {
      if (outage === 'warn') return;
      if (starting()) {
        if (outage === 'none') logger.debug?.(data, `${message} (still starting; retrying)`);
        outage = 'debug';
        return;
      }
      logger.warn(data, message);
      outage = 'warn';
    },
    up(data, message) {
      if (outage === 'warn') logger.warn(data, message);
      else if (outage === 'debug') logger.debug?.(data, message);
      outage = 'none';
      answered = true;
    },
  };
}

/** Error classes whose message says it all: their name would only add noise to the line. */
const PLAIN_ERROR_NAMES = new Set(['Error', 'TypeError', 'HttpError']);

/**
 * An error's message and the chain of causes, one line: `fetch failed: connect ECONNREFUSED
 * 127.0.0.1:4001`. A DOMException's name stands in for its message's long constant list.
 */
export function describeCause(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    if (current instanceof Error || (typeof current === 'object' && 'message' in current)) {
      const { name, message } = current as { name?: string; message?: string };
      const text =
        name && /Error$/.test(name) && !PLAIN_ERROR_NAMES.has(name)
          ? `${name}: ${message ?? ''}`
          : String(message ?? '');
      if (text && !parts.includes(text)) parts.push(text);
      current = (current as { cause?: unknown }).cause;
    } else {
      parts.push(String(current));
      break;
    }
  }
  return parts.join(': ') || 'unknown error';
}
