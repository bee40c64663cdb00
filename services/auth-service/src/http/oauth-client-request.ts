import type { Context } from 'koa';
import { isFormRequest } from '@gatehouse/shared/koa';
import { OAUTH_CLIENT_ENDPOINTS } from './endpoints.js';

const CLIENT_ENDPOINTS = new Set(OAUTH_CLIENT_ENDPOINTS);

/**
 * The OAuth endpoints clients call (device authorization, token, revocation, introspection):
 * exact paths. Their errors are JSON whatever `Accept` prefers (RFC 6749 section 5.2, RFC
 * 7009, RFC 7662, RFC 8628): Java's default `Accept` prefers HTML.
 */
export function isOAuthEndpoint(path: string): boolean {
  return CLIENT_ENDPOINTS.has(path);
}

/**
 * A request from an OAuth client rather than the browser session: a form-encoded POST to the
 * device authorization, token, revocation or introspection endpoint (exact paths; the router answers no
 * other spelling). Those handlers never read the session cookie (the token endpoint sends
 * only non-form bodies to its session path), so the cross-site guard may let them pass.
 */
export function isOAuthClientRequest(ctx: Context): boolean {
  return ctx.method === 'POST' && isOAuthEndpoint(ctx.path) && isFormRequest(ctx);
}
