import type { Logger } from '@gatehouse/shared';
import type { UpstreamProxy } from '../proxy/upstream-proxy.js';
import type { RouteSpec } from './route-spec.js';
import { compileRouteTable, type ActiveRoute, type RouteTable } from './route-table.js';

export interface LiveRouteTable {
  /** The table in force; requests read it once, on arrival. */
  current(): RouteTable;
  /** The ROUTES_FILE routes in force (the built-ins left out). */
  fileRoutes(): readonly ActiveRoute[];
  /** Compiles `specs` and puts them in force for the next request. */
  apply(specs: readonly RouteSpec[]): void;
  /** Closes every pool, retired or in force. Call after the server has drained. */
  close(): void;
}

/**
 * The route table that hot reload swaps. Enforces:
 * - a swap is one assignment: a request already matched keeps its route and pool, the next
 *   one reads the new table, so nothing in flight is dropped;
 * - a route whose name, upstreams and timeout are unchanged keeps its pool (its keep-alive
 *   connections and its passive health);
 * - a pool no route uses any more is closed only after `retireAfterMs` (the drain time), so
 *   responses still streaming from it finish.
 */
export function liveRouteTable(options: {
  initial: readonly RouteSpec[];
  builtins: readonly ActiveRoute[];
  proxyFor: (spec: RouteSpec) => UpstreamProxy;
  retireAfterMs: number;
  logger: Logger;
}): LiveRouteTable {
  const { builtins, retireAfterMs, logger } = options;
  let pools = new Map<string, UpstreamProxy>();
  const retiring = new Set<UpstreamProxy>();
  // Everything `proxyFor` builds a proxy from (a stripped prefix is put back into answers).
  const poolKey = (spec: RouteSpec) =>
    `${spec.name} ${spec.to.join(',')} ${spec.timeoutMs} ${spec.stripPrefix ? spec.path : ''}`;

  const compile = (specs: readonly RouteSpec[]) => {
    const next = new Map<string, UpstreamProxy>();
    const table = compileRouteTable(specs, builtins, (spec) => {
      const key = poolKey(spec);
      const proxy = pools.get(key) ?? options.proxyFor(spec);
      next.set(key, proxy);
      return proxy;
    });
    for (const [key, proxy] of pools) {
      if (next.has(key)) continue;
      retiring.add(proxy);
      setTimeout(() => {
        retiring.delete(proxy);
        proxy.pool.close();
      }, retireAfterMs).unref();
      logger.debug({ route: key.split(' ')[0] }, 'upstream pool retired');
    }
    pools = next;
    return table;
  };

  let table = compile(options.initial);
  let files = table.routes.filter((route) => route.spec !== undefined);
  return {
    current: () => table,
    fileRoutes: () => files,
    apply(specs) {
      table = compile(specs);
      files = table.routes.filter((route) => route.spec !== undefined);
    },
    close() {
      for (const proxy of [...pools.values(), ...retiring]) proxy.pool.close();
      retiring.clear();
    },
  };
}
