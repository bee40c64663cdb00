import { HttpError, isHttpError } from './http-error.js';

/** What a framework adapter writes for a failed request. */
export interface ErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: { error: string; error_description: string; request_id: string };
  /** How to log the error: 5xx at error with its cause and stack, 4xx at debug. */
  log: { level: 'debug' | 'error'; err: unknown };
}

const GENERIC_5XX: Record<number, [string, string]> = {
  502: ['bad_gateway', 'the upstream service could not be reached'],
  503: ['temporarily_unavailable', 'the service is temporarily unavailable'],
  504: ['gateway_timeout', 'the upstream service did not answer in time'],
};

/**
 * Maps anything thrown to the response every service sends. A 5xx keeps its status and wire
 * code but never its description or cause; errors that are not HttpErrors become a 500.
 * Framework errors with a 4xx `status` (a body too large, a malformed URL) keep their status.
 */
export function toErrorResponse(err: unknown, requestId: string): ErrorResponse {
  const httpError = isHttpError(err) ? err : fromForeignError(err);
  const { status } = httpError;
  const [genericCode, genericDescription] = GENERIC_5XX[status] ?? [
    'server_error',
    'the server could not complete the request',
  ];
  const exposed = httpError.expose;
  return {
    status,
    headers: { ...httpError.headers },
    body: {
      error: exposed || status in GENERIC_5XX ? httpError.code : genericCode,
      error_description: exposed ? httpError.description : genericDescription,
      request_id: requestId,
    },
    log: status >= 500 ? { level: 'error', err } : { level: 'debug', err },
  };
}

function fromForeignError(err: unknown): HttpError {
  const status =
    (err as { status?: unknown; statusCode?: unknown } | null)?.status ??
    (err as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const message = err instanceof Error ? err.message : 'bad request';
    return new HttpError(
      status,
      status === 413 ? 'payload_too_large' : 'invalid_request',
      message,
      {
        cause: err,
      },
    );
  }
  return new HttpError(500, 'server_error', 'internal error', { cause: err });
}
