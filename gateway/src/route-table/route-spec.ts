import { z } from 'zod';
import { isForwardablePath } from '../proxy/forwardable-path.js';

/** Who may use a `token` or `session` route: any-of within a key, all-of across keys. */
export interface RouteAllow {
  readonly roles?: readonly string[];
  readonly scopes?: readonly string[];
  readonly emails?: readonly string[];
  readonly domains?: readonly string[];
  readonly clients?: readonly string[];
}

/** One validated entry of the routes file (DESIGN.md, "Routes"). */
export interface RouteSpec {
  /** `[a-z0-9-]`, unique: logs, metrics, the assertion's `aud`. */
  readonly name: string;
  /** Normalised prefix, no trailing slash, matched on segment boundaries. */
  readonly path: string;
  /** Origins of the replicas, in the order given. */
  readonly to: readonly string[];
  readonly stripPrefix: boolean;
  /**
   * `public`: forwarded as it is; `token`: a Bearer token; `session`: a browser's gateway pass
   * cookie (sign-in on navigation) or a Bearer token.
   */
  readonly auth: 'public' | 'token' | 'session';
  /** Absent: any signed-in caller (on a `token` or `session` route). */
  readonly allow: RouteAllow | undefined;
  /** Upper-case; absent: every method. `GET` implies `HEAD`. */
  readonly methods: readonly string[] | undefined;
  readonly websocket: boolean;
  /** Absent: the gateway's UPSTREAM_TIMEOUT_MS. */
  readonly timeoutMs: number | undefined;
}

/**
 * Paths the gateway or the auth-service own; a route can claim neither them, nor what is
 * under them, nor a prefix above them.
 */
export const RESERVED_PATHS = [
  '/auth',
  '/healthz',
  '/readyz',
  '/.well-known/oauth-authorization-server',
  '/.well-known/gatehouse-assertion-jwks.json',
] as const;
const overlaps = (path: string, reserved: string) =>
  path === reserved || path.startsWith(`${reserved}/`) || reserved.startsWith(`${path}/`);

const NAME = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
/** Segments of unreserved and sub-delim characters: no percent-encoding, so no ambiguity. */
const PATH = /^(?:\/[A-Za-z0-9._~!$&'()*+,;=:@-]+)+$/;
const METHOD = /^[A-Za-z]{1,20}$/;
const MAX_TIMEOUT_MS = 600_000;

const list = (what: string) =>
  z
    .array(z.string().trim().min(1, `each ${what} must be a non-empty string`), {
      error: `must be a list of ${what}s, e.g. [${what}-a, ${what}-b]`,
    })
    .min(
      1,
      'an empty list would refuse every caller; remove the key to allow any signed-in caller',
    );

const origin = z.string().transform((value, ctx) => {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    // reported below
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" must be an http(s) origin, e.g. http://reports:8000`,
    });
    return z.NEVER;
  }
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '') {
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" must be a bare origin (no path, query or credentials), e.g. ${url.origin}; use strip_prefix to change paths`,
    });
    return z.NEVER;
  }
  return url.origin;
});

const routeSchema = z.strictObject({
  name: z
    .string({ error: 'is required, e.g. reports' })
    .regex(NAME, 'must be lower-case letters, digits and dashes, e.g. reports-v2'),
  path: z
    .string({ error: 'is required, e.g. /reports' })
    .regex(PATH, 'must be an absolute path prefix without a trailing slash, e.g. /reports')
    .refine(isForwardablePath, 'must not contain dot segments')
    .refine(
      (path) => !RESERVED_PATHS.some((reserved) => overlaps(path, reserved)),
      `must not be, be under or be above ${RESERVED_PATHS.join(', ')} (the gateway's and the auth-service's)`,
    ),
  to: z.preprocess(
    // A comma list too, so `${API_SERVICE_URL}` can name replicas as the variable does.
    (value) => (typeof value === 'string' ? value.split(',').map((entry) => entry.trim()) : value),
    z
      .array(origin, {
        error: 'is required: an origin or a list of replicas, e.g. http://reports:8000',
      })
      .min(1, 'must name at least one origin'),
  ),
  strip_prefix: z.boolean({ error: 'must be true or false' }).default(false),
  auth: z
    .enum(['public', 'token', 'session'], { error: 'must be public, token or session' })
    .default('token'),
  allow: z
    .strictObject({
      roles: list('role').optional(),
      scopes: list('scope').optional(),
      emails: list('email').optional(),
      domains: list('domain').optional(),
      clients: list('client').optional(),
    })
    .optional(),
  methods: z
    .array(z.string().regex(METHOD, 'each method must be a word, e.g. GET'), {
      error: 'must be a list of methods, e.g. [GET, POST]',
    })
    .min(1, 'an empty list would refuse every request; remove the key to allow all methods')
    .optional(),
  websocket: z.boolean({ error: 'must be true or false' }).default(false),
  timeout_ms: z
    .number({ error: 'must be a number of milliseconds, e.g. 30000' })
    .int('must be a whole number of milliseconds')
    .min(1, 'must be at least 1')
    .max(MAX_TIMEOUT_MS, `must be at most ${MAX_TIMEOUT_MS} (10 minutes)`)
    .optional(),
});

const fileSchema = z.strictObject({
  routes: z.array(z.unknown(), { error: 'must be a list of routes' }),
});

/**
 * Validates the parsed routes file, listing every problem with its route and key
 * (`route "reports" (routes[0]) allow.roles: ...`) rather than stopping at the first.
 * Returns the routes in file order, or the problems.
 *
 * @example
 * const result = validateRoutes(YAML.parse(text));
 * if (!result.ok) console.error(result.problems.join('\n'));
 */
export function validateRoutes(
  document: unknown,
): { ok: true; routes: RouteSpec[] } | { ok: false; problems: string[] } {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    return {
      ok: false,
      problems: [
        'the file must be a mapping with a "routes" list, e.g. routes: [{ name: reports, path: /reports, to: "http://reports:8000" }]',
      ],
    };
  }
  const file = fileSchema.safeParse(document);
  if (!file.success) {
    return {
      ok: false,
      problems: file.error.issues.map((issue) =>
        issue.code === 'unrecognized_keys'
          ? `the file: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')} (only "routes")`
          : `${issue.path.join('.') || 'the file'}: ${issue.message}`,
      ),
    };
  }
  const problems: string[] = [];
  const routes: RouteSpec[] = [];
  const names = file.data.routes.map((entry) => (entry as { name?: unknown } | null)?.name);
  file.data.routes.forEach((entry, i) => {
    const name = names[i];
    const label = `route ${typeof name === 'string' ? `"${name}" ` : ''}(routes[${i}])`;
    const parsed = routeSchema.safeParse(entry);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const key = issue.path.length > 0 ? issue.path.join('.') : 'entry';
        const message =
          issue.code === 'unrecognized_keys'
            ? `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`
            : issue.message;
        problems.push(`${label} ${key}: ${message}`);
      }
      return;
    }
    const r = parsed.data;
    if (r.auth === 'public' && r.allow !== undefined) {
      problems.push(
        `${label} allow: needs auth: token or session (a public route checks no caller)`,
      );
    }
    routes.push({
      name: r.name,
      path: r.path,
      to: r.to,
      stripPrefix: r.strip_prefix,
      auth: r.auth,
      allow: r.allow,
      methods: r.methods && [...new Set(r.methods.map((m) => m.toUpperCase()))],
      websocket: r.websocket,
      timeoutMs: r.timeout_ms,
    });
  });
  repeated(names.filter((name): name is string => typeof name === 'string')).forEach((name) =>
    problems.push(`route "${name}" name: is used by more than one route; names must be unique`),
  );
  repeated(routes.map((r) => r.path)).forEach((path) =>
    problems.push(`route path ${path}: is declared by more than one route`),
  );
  for (const route of routes) {
    const twice = repeated(route.to);
    if (twice.length > 0) {
      problems.push(`route "${route.name}" to: lists ${twice.join(', ')} more than once`);
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, routes };
}

function repeated(values: readonly string[]): string[] {
  return [...new Set(values.filter((v, i) => values.indexOf(v) !== i))];
}
