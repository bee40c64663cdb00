import { HttpError } from '@gatehouse/shared';
import type { Context } from 'koa';

/**
 * Reads an `application/x-www-form-urlencoded` body. Enforces:
 * - that content type (415 otherwise);
 * - at most `limitBytes` (413 otherwise), so a sign-in form cannot be used to fill memory.
 */
export async function readForm(ctx: Context, limitBytes = 8 * 1024): Promise<URLSearchParams> {
  if (!ctx.is('application/x-www-form-urlencoded')) {
    throw new HttpError(415, 'unsupported_media_type', 'expected a form post');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) {
      throw new HttpError(
        413,
        'payload_too_large',
        `form bodies are limited to ${limitBytes} bytes`,
      );
    }
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
