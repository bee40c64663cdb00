/**
 * The one error family every Gatehouse service throws. Middleware and routes throw; a single
 * renderer per framework turns it into `{error, error_description, request_id}`.
 *
 * `code` is the stable wire value callers switch on (OAuth/RFC 6750 vocabulary where one
 * exists); `description` is for humans; `cause` is logged, never sent; `expose` is false for
 * 5xx so their description is replaced by a generic one.
 *
 * @example
 * throw new HttpError(403, 'insufficient_scope', 'role "admin" is required', {
 *   headers: { 'WWW-Authenticate': 'Bearer error="insufficient_scope"' },
 * });
 */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly description: string;
  readonly expose: boolean;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    code: string,
    description: string,
    options: { cause?: unknown; headers?: Record<string, string> } = {},
  ) {
    // A refusal (4xx) is an answer, not a fault: its stack is never logged (error-handler.ts
    // logs 4xx at debug without it), so none is captured. The OAuth endpoints answer
    // `authorization_pending`, `slow_down` or `invalid_grant` this way at the rate clients poll.
    const stackTraceLimit = Error.stackTraceLimit;
    if (status < 500) Error.stackTraceLimit = 0;
    super(description, options.cause === undefined ? undefined : { cause: options.cause });
    Error.stackTraceLimit = stackTraceLimit;
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.description = description;
    this.expose = status < 500;
    this.headers = Object.freeze({ ...options.headers });
  }
}

/** True for an HttpError, also across duplicated module instances. */
export function isHttpError(value: unknown): value is HttpError {
  return (
    value instanceof HttpError ||
    (value instanceof Error &&
      typeof (value as Partial<HttpError>).status === 'number' &&
      typeof (value as Partial<HttpError>).code === 'string' &&
      (value as Partial<HttpError>).name === 'HttpError')
  );
}
