import { isIP } from 'node:net';
import { z } from 'zod';

// Builders for EnvSpec schemas. Each parses the raw string an environment variable holds;
// add `.default(...)` where a safe default exists.
//
// @example
// const spec = {
//   PORT: envVar('listen port', port().default(4002)),
//   JWKS_URL: envVar('where the signing keys are published', httpUrl()),
//   ALLOWED_EMAILS: envVar('who may sign in', commaList().default([])),
// };

/** A TCP port; `0` lets the OS pick one (tests). */
export const port = () => z.coerce.number().int().min(0).max(65535);

/** A listen address: an IPv4 or IPv6 literal, or `localhost`. */
export const host = () =>
  z.string().refine((value) => value === 'localhost' || isIP(value) !== 0, {
    message: 'must be an IP address to listen on, e.g. 0.0.0.0 (every interface) or 127.0.0.1',
  });

/** A whole number of at least `min`. */
export const integer = (min = 0) => z.coerce.number().int().min(min);

/** An http(s) origin or URL, normalised without a trailing slash. */
export const httpUrl = () =>
  z.string().transform((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: `must be an absolute URL, e.g. http://localhost:8080`,
      });
      return z.NEVER;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      ctx.addIssue({ code: 'custom', message: 'must be an http:// or https:// URL' });
      return z.NEVER;
    }
    return url.href.replace(/\/$/, '');
  });

/** A comma-separated list; blanks are dropped. */
export const commaList = () =>
  z.string().transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  );

/** `true`/`false`/`1`/`0`. */
export const flag = () =>
  z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

/** NODE_ENV; only `production` changes behaviour. */
export const nodeEnv = () => z.enum(['development', 'test', 'production']).default('development');

/** pino log level. */
export const logLevel = () =>
  z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');
