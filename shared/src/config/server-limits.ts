/**
 * What one listener lets its peers hold, against slow or idle connections (slowloris): each
 * bound is what one peer, or all peers together, can take from the process.
 */
export interface ServerLimits {
  /** A connection that has not sent a whole request head by then gets 408 and is closed. */
  readonly headersTimeoutMs: number;
  /** The whole request (head and body) must have arrived by then; at least headersTimeoutMs. */
  readonly requestTimeoutMs: number;
  /**
   * Connections held at once; 0: no cap. At the cap a newcomer takes the place of the oldest
   * connection that has not yet sent a request head, or is refused when every connection has.
   */
  readonly maxConnections: number;
  /** Connections one peer address may hold; 0: no cap. */
  readonly maxConnectionsPerAddress: number;
  /** Peers the per-address cap does not apply to: a trusted proxy carries many clients. */
  readonly isExemptAddress?: (address: string) => boolean;
}

/**
 * The defaults `serve` applies (the process-wide variables HEADERS_TIMEOUT_MS,
 * REQUEST_TIMEOUT_MS and MAX_CONNECTIONS override them). No per-address cap: a service's one
 * peer is usually the gateway, whose address carries every client.
 *
 * @example
 * await serve(handler, { port: 0, limits: { ...DEFAULT_SERVER_LIMITS, maxConnectionsPerAddress: 256 } });
 */
export const DEFAULT_SERVER_LIMITS: ServerLimits = Object.freeze({
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 60_000,
  maxConnections: 10_000,
  maxConnectionsPerAddress: 0,
});

/**
 * Node's timeouts for `createServer`. Node checks them only every
 * `connectionsCheckingInterval` (30 s by default, longer than the timeout itself), so the check
 * runs at a fifth of the header timeout, between 100 ms and 1 s.
 */
export function serverTimeouts(limits: ServerLimits) {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: Math.max(limits.requestTimeoutMs, limits.headersTimeoutMs),
    connectionsCheckingInterval: Math.min(
      1_000,
      Math.max(100, Math.floor(limits.headersTimeoutMs / 5)),
    ),
  };
}
