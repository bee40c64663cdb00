import { Agent, request as httpRequest } from 'node:http';
import { isIP } from 'node:net';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Logger } from '@gatehouse/shared';

/**
 * How long a kept-alive upstream socket may sit idle in the pool before the gateway closes it.
 * Invariant: shorter than the services' keepAliveTimeout (65 s, the shared `serve()` default),
 * so it is always the gateway that closes an idle connection, never the service while a
 * request is being written into it. Node also honours the service's `Keep-Alive: timeout=`
 * hint (minus 1 s) if that is ever shorter. The rare race left (a service shutting down)
 * is covered by the one retry in `forwardToUpstream`.
 */
export const UPSTREAM_IDLE_TIMEOUT_MS = 30_000;

/** One replica of a service: its origin, its own keep-alive agent, its passive health. */
export interface UpstreamMember {
  readonly origin: string;
  readonly target: URL;
  /** Its own keep-alive agent (an https one for an https origin). */
  readonly agent: Agent;
  /** `request` of node:http or node:https, as the origin's scheme needs. */
  readonly request: typeof httpsRequest;
  /** The target's host and port as `request` takes them, parsed once. */
  readonly hostname: string;
  readonly port: number;
  /** The name TLS asks for (SNI): the origin's host name; `''` (none) for plain http. */
  readonly servername: string;
  /** Clock time before which the member gets no requests; 0 when healthy. */
  downUntil: number;
}

export interface UpstreamPool {
  readonly members: readonly UpstreamMember[];
  /**
   * The next member in round-robin order that is not cooling down, skipping `avoid` (the one
   * that just failed) when another is available. When every member is cooling down, the next
   * one anyway: a request that may fail beats refusing it outright.
   */
  pick(avoid?: UpstreamMember): UpstreamMember;
  /** Passive health: no requests to `member` for the cooldown. */
  readonly markDown: (member: UpstreamMember, reason: string) => void;
  /** It answered (its /readyz 2xx, or any response to a request): back in rotation. */
  readonly markUp: (member: UpstreamMember) => void;
  /** Closes every member's pooled connections. */
  close(): void;
}

/**
 * The replicas behind one prefix. Round robin rather than least-in-flight: the services answer
 * in a few milliseconds with little spread, so counting in-flight requests (a listener per
 * request to decrement) would cost the hot path more than it balances. A single-member pool
 * is exactly the former single upstream: `pick` returns it without reading the clock.
 *
 * @example
 * const pool = createUpstreamPool({ upstream: 'api-service', origins: ['http://a:4002', 'http://b:4002'],
 *   cooldownMs: 5000, now: () => performance.now(), logger });
 * const member = pool.pick();
 */
export function createUpstreamPool(options: {
  upstream: string;
  origins: readonly string[];
  cooldownMs: number;
  now: () => number;
  logger: Logger;
}): UpstreamPool {
  const { upstream, cooldownMs, now, logger } = options;
  if (options.origins.length === 0) throw new Error(`${upstream}: at least one origin is needed`);
  const members: UpstreamMember[] = options.origins.map((origin) => {
    const target = new URL(origin);
    const secure = target.protocol === 'https:';
    // URL keeps IPv6 literals bracketed; a socket address is written without brackets.
    const hostname = target.hostname.replace(/^\[(.*)\]$/, '$1');
    const agentOptions = {
      keepAlive: true,
      timeout: UPSTREAM_IDLE_TIMEOUT_MS,
      scheduling: 'lifo',
    } as const;
    return {
      origin,
      target,
      agent: secure ? new HttpsAgent(agentOptions) : new Agent(agentOptions),
      request: secure ? httpsRequest : httpRequest,
      hostname,
      port: Number(target.port) || (secure ? 443 : 80),
      // SNI carries DNS names only, never an IP address.
      servername: secure && !isIP(hostname) ? hostname : '',
      downUntil: 0,
    };
  });
  const [only] = members as [UpstreamMember];
  let next = 0;
  /** Members cooling down, so the common all-healthy case reads no clock. */
  let down = 0;

  const isUp = (member: UpstreamMember, at: number) =>
    member.downUntil === 0 || member.downUntil <= at;

  return {
    members,
    pick(avoid) {
      if (members.length === 1) return only;
      const at = down === 0 ? 0 : now();
      // Preference: up and not `avoid`, then `avoid` if up, then any other, then `avoid`.
      let best: UpstreamMember | undefined;
      let bestRank = 4;
      for (let i = 0; i < members.length && bestRank > 0; i++) {
        const member = members[(next + i) % members.length]!;
        const rank = (isUp(member, at) ? 0 : 2) + (member === avoid ? 1 : 0);
        if (rank < bestRank) {
          best = member;
          bestRank = rank;
        }
      }
      const chosen = best!;
      next = (members.indexOf(chosen) + 1) % members.length;
      return chosen;
    },
    markDown: (member, reason) => {
      if (members.length === 1) return;
      if (member.downUntil === 0) {
        down += 1;
        logger.warn(
          { upstream, origin: member.origin, reason, cooldown_ms: cooldownMs },
          'upstream replica taken out of rotation',
        );
      }
      member.downUntil = Math.max(now() + cooldownMs, 1);
    },
    markUp: (member) => {
      if (member.downUntil === 0) return;
      member.downUntil = 0;
      down -= 1;
      logger.info({ upstream, origin: member.origin }, 'upstream replica back in rotation');
    },
    close() {
      for (const member of members) member.agent.destroy();
    },
  };
}
