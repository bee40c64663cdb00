import type { UpstreamProxy } from '../proxy/upstream-proxy.js';
import type { NormalisedTarget } from './normalise-path.js';
import { compileMatcher } from './route-matcher.js';
import type { RouteSpec } from './route-spec.js';

/** One entry of the compiled table: what the request path reads, never the YAML. */
export interface ActiveRoute {
  /** The route's name (`auth-service` for the built-in `/auth`). */
  readonly name: string;
  readonly prefix: string;
  readonly exact?: boolean;
  /** Metrics label, e.g. `/reports/*`, never the raw path. */
  readonly label: string;
  /** Undefined: every method. */
  readonly methods: ReadonlySet<string> | undefined;
  /** The `Allow` value of a 405. */
  readonly allowHeader: string;
  readonly stripPrefix: boolean;
  readonly websocket: boolean;
  /** The validated entry; undefined for the built-in auth-service routes. */
  readonly spec: RouteSpec | undefined;
  readonly upstream: UpstreamProxy;
}

export interface RouteTable {
  readonly routes: readonly ActiveRoute[];
  /** The route `path` (a normalised path, or a raw target) is under, longest prefix first. */
  match(path: string): ActiveRoute | undefined;
  /** The routes file's route called `name` (forward auth's `?route=`). */
  byName(name: string): ActiveRoute | undefined;
}

/**
 * Compiles validated routes, with the built-in auth-service entries, into the table the
 * request path reads. `proxyFor` builds (or reuses) the upstream pool of a route.
 *
 * @example
 * const table = compileRouteTable(specs, builtins, (spec) => createUpstreamProxy({ ... }));
 * table.match('/reports/2026')?.name; // 'reports'
 */
export function compileRouteTable(
  specs: readonly RouteSpec[],
  builtins: readonly ActiveRoute[],
  proxyFor: (spec: RouteSpec) => UpstreamProxy,
): RouteTable {
  const routes: ActiveRoute[] = [
    ...builtins,
    ...specs.map((spec): ActiveRoute => {
      const methods = spec.methods && new Set(spec.methods);
      if (methods?.has('GET')) methods.add('HEAD');
      return {
        name: spec.name,
        prefix: spec.path,
        label: `${spec.path}/*`,
        methods,
        allowHeader: methods ? [...methods].join(', ') : '',
        stripPrefix: spec.stripPrefix,
        websocket: spec.websocket,
        spec,
        upstream: proxyFor(spec),
      };
    }),
  ];
  const match = compileMatcher(routes);
  const named = new Map(
    routes.filter((route) => route.spec !== undefined).map((route) => [route.name, route]),
  );
  return { routes, match, byName: (name) => named.get(name) };
}

/** The request target an upstream of `route` receives for `target`. */
export function upstreamTarget(route: ActiveRoute, target: NormalisedTarget): string {
  if (!route.stripPrefix) return target.path + target.query;
  return (target.path.slice(route.prefix.length) || '/') + target.query;
}
