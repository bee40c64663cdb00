import type { Context } from 'koa';
import { HttpError } from '../errors/http-error.js';

const FORM_TYPE = 'application/x-www-form-urlencoded';

/** What `readForm` enforces beyond the size limit; each caller states its own. */
export interface ReadFormOptions {
  /** Largest body accepted, in bytes; a larger one is 413 `payload_too_large`. */
  limitBytes: number;
  /** Any other content type (or none) is 415 `unsupported_media_type`. */
  requireFormType?: boolean;
  /** A parameter sent twice is 400 `invalid_request` (RFC 6749 section 3.2). */
  rejectRepeated?: boolean;
}

/**
 * True when the request has a body of type `application/x-www-form-urlencoded` (an OAuth
 * client's), parameters and letter case aside: what `ctx.is(FORM_TYPE)` answers, without
 * parsing the media type each time it is asked (several times for each OAuth request).
 */
export function isFormRequest(ctx: Pick<Context, 'req'>): boolean {
  const headers = ctx.req.headers;
  const contentType = headers['content-type'];
  // Like type-is: a request without a body (no Transfer-Encoding, no numeric Content-Length)
  // has no media type.
  const hasBody =
    headers['transfer-encoding'] !== undefined || !Number.isNaN(Number(headers['content-length']));
  if (!hasBody || contentType === undefined) return false;
  const end = contentType.indexOf(';');
  return (end === -1 ? contentType : contentType.slice(0, end)).trim().toLowerCase() === FORM_TYPE;
}

/**
 * The request's `application/x-www-form-urlencoded` body, read without a body parser.
 * Enforces:
 * - at most `limitBytes` (413 `payload_too_large`), so a form cannot be used to fill memory;
 * - with `requireFormType`, that content type (415 `unsupported_media_type`);
 * - with `rejectRepeated`, no parameter twice (400 `invalid_request`).
 *
 * @example
 * router.post('/token', async (ctx) => {
 *   const form = await readForm(ctx, { limitBytes: 8 * 1024, rejectRepeated: true });
 *   ctx.body = exchange(form.get('grant_type'));
 * });
 */
export async function readForm(ctx: Context, options: ReadFormOptions): Promise<URLSearchParams> {
  const { limitBytes } = options;
  if (options.requireFormType && !isFormRequest(ctx)) {
    throw new HttpError(415, 'unsupported_media_type', 'expected a form post');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) {
      throw new HttpError(413, 'payload_too_large', `the form is larger than ${limitBytes} bytes`);
    }
    chunks.push(chunk);
  }
  const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
  if (options.rejectRepeated) {
    const seen = new Set<string>();
    for (const name of form.keys()) {
      if (seen.has(name)) {
        throw new HttpError(400, 'invalid_request', `the "${name}" parameter is sent twice`);
      }
      seen.add(name);
    }
  }
  return form;
}
