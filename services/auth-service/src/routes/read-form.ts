import { HttpError } from '@gatehouse/shared';
import type { Context } from 'koa';

const MAX_FORM_BYTES = 8 * 1024;

/** True when the request body is `application/x-www-form-urlencoded` (an OAuth client's). */
export function isFormRequest(ctx: Pick<Context, 'is'>): boolean {
  return ctx.is('application/x-www-form-urlencoded') === 'application/x-www-form-urlencoded';
}

/**
 * The request's form body. Enforces: at most 8 KiB (413 `payload_too_large`), and no
 * parameter twice (RFC 6749 section 3.2: 400 `invalid_request`).
 */
export async function readForm(ctx: Context): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) {
      throw new HttpError(
        413,
        'payload_too_large',
        `the form is larger than ${MAX_FORM_BYTES} bytes`,
      );
    }
    chunks.push(chunk);
  }
  const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
  const seen = new Set<string>();
  for (const name of form.keys()) {
    if (seen.has(name)) {
      throw new HttpError(400, 'invalid_request', `the "${name}" parameter is sent twice`);
    }
    seen.add(name);
  }
  return form;
}
