import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'x-request-id';

/** Client-supplied ids are kept only when short and made of safe characters. */
const WELL_FORMED = /^[A-Za-z0-9._:-]{8,128}$/;

/** True when a request id from outside may be kept as it is. */
export function isWellFormedRequestId(value: unknown): value is string {
  return typeof value === 'string' && WELL_FORMED.test(value);
}

/** The incoming id when well formed, otherwise a fresh one. */
export function resolveRequestId(incoming: string | string[] | undefined): string {
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  return isWellFormedRequestId(value) ? value : randomUUID();
}
