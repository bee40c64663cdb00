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

/** The pino levels a hot-path line is written at. */
export type LineLevel = 'debug' | 'info';

/**
 * Writes one log line whose fields the caller has already written as JSON members
 * (`"status":200,"path":"/x"`), for a path where pino's generic serializer is the cost: the
 * gateway's access log, where building an object per request and serialising it was a third
 * of the gateway's CPU per proxied request with most of its garbage. The line is the one
 * `logger[level](fields, msg)` writes (level label, time, the logger's bindings, the fields,
 * `msg`), to the same destination; nothing is redacted, so only fields that can never hold a
 * secret belong in it. A logger without a pino destination (a test double) gets the fields
 * parsed and logged the ordinary way.
 *
 * @example
 * const write = lineWriter(logger);
 * write('info', `"status":${status},"path":${JSON.stringify(path)}`, 'request');
 */
export function lineWriter(
  logger: Logger,
): (level: LineLevel, fields: string, msg: string) => void {
  const internals = logger as unknown as Record<symbol, unknown>;
  const stream = internals[pino.symbols.streamSym] as DestinationStream | undefined;
  const bindings = internals[pino.symbols.chindingsSym];
  if (stream === undefined || typeof stream.write !== 'function' || typeof bindings !== 'string') {
    return (level, fields, msg) => logger[level](JSON.parse(`{${fields}}`) as object, msg);
  }
  return (level, fields, msg) => {
    if (!logger.isLevelEnabled(level)) return;
    stream.write(
      `{"level":"${level}"${isoTime()}${bindings},${fields},"msg":${JSON.stringify(msg)}}\n`,
    );
  };
}

/** A logger that drops everything, for tests that do not look at logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
