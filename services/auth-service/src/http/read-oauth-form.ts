import { readForm, type ReadFormOptions } from '@gatehouse/shared/koa';
import type { Context } from 'koa';

/** An OAuth client's form: at most 8 KiB, and no parameter twice (RFC 6749 section 3.2). */
const OAUTH_FORM: ReadFormOptions = { limitBytes: 8 * 1024, rejectRepeated: true };

/** The request's form body, as the token, device and revocation endpoints read it. */
export function readOAuthForm(ctx: Context): Promise<URLSearchParams> {
  return readForm(ctx, OAUTH_FORM);
}
