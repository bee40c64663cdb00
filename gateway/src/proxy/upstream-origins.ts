import { z } from 'zod';
import { requireOrigin, type ReportProblem } from '@gatehouse/shared';

/**
 * An upstream variable's schema: a comma list of http(s) URLs (one is the usual case), each
 * entry named in its problem. Bare-origin and duplicate checks follow in `upstreamOrigins`,
 * which can report them with the variable's name.
 *
 * @example
 * AUTH_SERVICE_URL: envVar('...', upstreamList().default('http://localhost:4001')),
 */
export const upstreamList = () =>
  z.string().transform((value, ctx) => {
    const entries = value
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry.length > 0);
    if (entries.length === 0) {
      ctx.addIssue({
        code: 'custom',
        message: 'must name at least one origin, e.g. http://localhost:4001',
      });
      return z.NEVER;
    }
    const urls: string[] = [];
    for (const entry of entries) {
      const label = entries.length === 1 ? '' : `entry "${entry}" `;
      let url: URL;
      try {
        url = new URL(entry);
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: `${label}must be an absolute URL, e.g. http://localhost:4001`,
        });
        continue;
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        ctx.addIssue({ code: 'custom', message: `${label}must be an http:// or https:// URL` });
        continue;
      }
      urls.push(url.href);
    }
    return urls;
  });

/**
 * For the config build step: every entry must be a bare origin (paths are forwarded
 * unchanged) and no origin may appear twice (it would get twice the traffic and count twice
 * towards readiness). Returns the origins, in the order given.
 */
export function upstreamOrigins(
  name: string,
  urls: readonly string[],
  problem: ReportProblem,
): string[] {
  const origins = urls.map((url) => requireOrigin(name, url, problem).origin);
  const repeated = origins.filter((origin, i) => origins.indexOf(origin) !== i);
  if (repeated.length > 0) {
    problem(
      `${name} lists ${[...new Set(repeated)].join(', ')} more than once; name each upstream once`,
    );
  }
  return origins;
}
