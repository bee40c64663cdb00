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
