import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Header and field paths that must never reach a log line, whatever logs them. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'headers["set-cookie"]',
  '*.access_token',
  '*.id_token',
  '*.refresh_token',
  // An OAuth authorization code travels in a query string; `err.code` (ECONNREFUSED, ...)
  // must stay readable, so only query objects are redacted, never every `code` field.
  'query.code',
  'req.query.code',
  '*.client_secret',
  '*.token',
];

/**
 * The JSON logger every service uses: one line per event with `service`, secrets redacted.
 *
 * @example
 * const logger = createLogger({ service: 'api-service', level: 'info' });
 * logger.info({ request_id }, 'started');
 */
export function createLogger(options: {
  service: string;
  level?: string;
  destination?: DestinationStream;
}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination ?? pino.destination({ sync: false }),
  );
}

let lastMs = -1;
let lastTime = '';

/**
 * pino's `isoTime`, formatted once per millisecond: the gateway writes several access-log
 * lines a millisecond, and `toISOString` was a measurable part of each.
 */
function isoTime(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastTime = `,"time":"${new Date(ms).toISOString()}"`;
  }
  return lastTime;
}

/** A logger that drops everything, for tests that do not look at logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
