import { CliError } from './cli-error.js';

export type Fetch = typeof globalThis.fetch;

/** An OAuth error answer (RFC 6749 section 5.2). */
export class OAuthError extends Error {
  constructor(
    readonly code: string,
    readonly description: string,
    readonly status: number,
    /** The URL that answered. */
    readonly url: string = '',
  ) {
    super(`${code}: ${description}`);
  }
}

const TIMEOUT_MS = 15_000;

/**
 * JSON over HTTP for the CLI: a server that cannot be reached is a CliError naming it; an
 * OAuth error body becomes OAuthError (callers switch on `code`); anything else unexpected
 * is a CliError with the status.
 */
export async function requestJson(
  fetch: Fetch,
  url: string,
  init: { form?: Record<string, string>; bearer?: string } = {},
): Promise<Record<string, unknown>> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: init.form ? 'POST' : 'GET',
      headers: {
        accept: 'application/json',
        ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...(init.bearer ? { authorization: `Bearer ${init.bearer}` } : {}),
      },
      body: init.form ? new URLSearchParams(init.form).toString() : undefined,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    const reason = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
    throw new CliError(`cannot reach the Gatehouse server at ${new URL(url).origin} (${reason})`);
  }
  const text = await res.text();
  let body: Record<string, unknown>;
  try {
    body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    throw new CliError(`${url} answered ${res.status} with something other than JSON`);
  }
  if (res.ok) return body;
  if (typeof body.error === 'string') {
    throw new OAuthError(body.error, String(body.error_description ?? ''), res.status, url);
  }
  throw new CliError(`${url} answered ${res.status}`);
}
