import { HttpError } from '@gatehouse/shared';

/** Raised by the gateway itself when an upstream has not started answering in time. */
export class UpstreamTimeoutError extends Error {
  readonly code = 'ERR_UPSTREAM_TIMEOUT';

  constructor(upstream: string, timeoutMs: number) {
    super(`${upstream} did not answer within ${timeoutMs} ms`);
    this.name = 'UpstreamTimeoutError';
  }
}

/**
 * The HttpError a failed upstream exchange becomes: 504 when it was too slow, 502 for
 * everything else (refused, reset, unresolvable, malformed answer). The cause is logged only.
 */
export function toUpstreamHttpError(upstream: string, err: Error): HttpError {
  if (err instanceof UpstreamTimeoutError) {
    return new HttpError(504, 'gateway_timeout', err.message, { cause: err });
  }
  return new HttpError(502, 'bad_gateway', `${upstream} could not be reached`, { cause: err });
}

/**
 * A request that died on a kept-alive socket the upstream closed at the same moment (the
 * keep-alive race) never reached the service, so a request without a body and with a safe
 * method can be sent again on a fresh connection. Anything else is answered 502.
 */
export function isRetryableOnFreshSocket(
  err: NodeJS.ErrnoException,
  method: string | undefined,
  headers: Record<string, unknown>,
): boolean {
  if (err.code !== 'ECONNRESET' && err.code !== 'EPIPE') return false;
  if (method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS') return false;
  const length = headers['content-length'];
  return (length === undefined || length === '0') && headers['transfer-encoding'] === undefined;
}

/** Errors that say the replica itself is unreachable or dropped the connection. */
const CONNECTION_FAILURES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** Errors raised before the connection existed: the request cannot have reached the service. */
const NEVER_CONNECTED = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * Passive health: a connection-level failure takes the replica out of rotation. A slow answer
 * (the gateway's own timeout) or a malformed one does not: the replica is up.
 */
export function isConnectionFailure(err: NodeJS.ErrnoException): boolean {
  return err.code !== undefined && CONNECTION_FAILURES.has(err.code);
}

/**
 * A request without a body whose connection was never made (refused, unroutable,
 * unresolvable) reached no service, whatever its method, so it can go to another replica.
 * A request with a body cannot: part of it may already have been read into the failed
 * exchange.
 */
export function isRetryableElsewhere(
  err: NodeJS.ErrnoException,
  headers: Record<string, unknown>,
): boolean {
  if (err.code === undefined || !NEVER_CONNECTED.has(err.code)) return false;
  const length = headers['content-length'];
  return (length === undefined || length === '0') && headers['transfer-encoding'] === undefined;
}
