import { randomUUID } from 'node:crypto';

/** The header that carries a request's id from the gateway through every service and back. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** Client-supplied ids are kept only when short and made of safe characters. */
const WELL_FORMED = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * True when a request id from outside may be kept as it is: 8 to 128 characters of
 * `[A-Za-z0-9._:-]`, so it can never smuggle a header or markup into a log or a page.
 *
 * @example
 * isWellFormedRequestId('3f9c-41aa-b1'); // true
 * isWellFormedRequestId('x\r\nSet-Cookie: a=b'); // false
 */
export function isWellFormedRequestId(value: unknown): value is string {
  return typeof value === 'string' && WELL_FORMED.test(value);
}

/**
 * The incoming id when well formed, otherwise a fresh UUID.
 *
 * @example
 * const requestId = resolveRequestId(req.headers[REQUEST_ID_HEADER]);
 */
export function resolveRequestId(incoming: string | string[] | undefined): string {
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  return isWellFormedRequestId(value) ? value : randomUUID();
}
