import { HttpError } from '@gatehouse/shared';

/**
 * SQLSTATE classes and driver codes that mean "the database is not reachable or not answering
 * now" rather than "this statement is wrong": connection exceptions (08), operator
 * intervention such as a shutdown or a statement timeout (57), insufficient resources (53).
 */
const UNAVAILABLE_CLASSES = ['08', '53', '57'];
const UNAVAILABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOENT', // a Unix socket that is not there (the server is stopped)
]);
const UNAVAILABLE_MESSAGES = [
  'timeout exceeded when trying to connect',
  'Connection terminated',
  'Query read timeout',
  'Client has encountered a connection error',
  'Cannot use a pool after calling end',
];

/** True when `err` says the database cannot be reached now (the request may succeed later). */
export function isDatabaseUnavailable(err: unknown): boolean {
  // Not `instanceof Error`: socket errors may come from another realm (a test VM context).
  if (typeof err !== 'object' || err === null) return false;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (UNAVAILABLE_SOCKET_CODES.has(code)) return true;
    if (code.length === 5 && UNAVAILABLE_CLASSES.includes(code.slice(0, 2))) return true;
  }
  return UNAVAILABLE_MESSAGES.some((text) => String(message).includes(text));
}

/**
 * The error a route sees when the database is out of reach: JSON 503 `temporarily_unavailable`
 * with Retry-After, the driver's error kept as the (logged, never sent) cause.
 */
export function databaseUnavailable(cause: unknown): HttpError {
  return new HttpError(
    503,
    'temporarily_unavailable',
    'the database is not reachable; try again shortly',
    {
      cause,
      headers: { 'Retry-After': '5' },
    },
  );
}
