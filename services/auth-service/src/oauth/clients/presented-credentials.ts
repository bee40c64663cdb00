import { oauthError, requireParam } from '../../http/oauth-error.js';

/** RFC 6749 section 2.3 and RFC 8414's names for how a client authenticates. */
export type ClientAuthMethod = 'none' | 'client_secret_basic' | 'client_secret_post';

/** What a request presents to name and authenticate its client, not yet checked. */
export type PresentedCredentials =
  | { readonly method: 'none'; readonly clientId: string }
  | {
      readonly method: 'client_secret_basic' | 'client_secret_post';
      readonly clientId: string;
      readonly secret: string;
    }
  /** An Authorization header that is not a well-formed Basic credential. */
  | { readonly method: 'malformed_header'; readonly clientId: undefined; readonly reason: string };

/**
 * Reads the client's credentials from the Authorization header and the form. Enforces:
 * - `client_secret_basic` (RFC 6749 section 2.3.1): id and secret each form-urlencoded, then
 *   joined by `:` and base64-encoded; a `client_id` in the form as well must be the same id;
 * - `client_secret_post`: `client_id` and `client_secret` in the form;
 * - `none` (public clients): `client_id` alone;
 * - exactly one method: Basic together with a form secret is 400 `invalid_request`.
 * A header of another scheme or a broken Basic value is reported, for the caller to answer
 * 401 `invalid_client` with a challenge.
 */
export function presentedCredentials(
  form: URLSearchParams,
  authorization: string | undefined,
): PresentedCredentials {
  if (authorization !== undefined && authorization !== '') {
    if (form.has('client_secret')) {
      throw oauthError(
        'invalid_request',
        'use one client authentication method: Authorization: Basic or client_secret, not both',
      );
    }
    const basic = parseBasic(authorization);
    if (typeof basic === 'string') {
      return { method: 'malformed_header', clientId: undefined, reason: basic };
    }
    const formId = form.get('client_id');
    if (formId !== null && formId !== basic.clientId) {
      throw oauthError('invalid_request', 'client_id differs from the Basic credentials');
    }
    return { method: 'client_secret_basic', ...basic };
  }
  const clientId = requireParam(form, 'client_id');
  const secret = form.get('client_secret');
  if (secret === null) return { method: 'none', clientId };
  return { method: 'client_secret_post', clientId, secret };
}

/** `Basic base64(urlencode(id) ":" urlencode(secret))`, or why it is not one. */
function parseBasic(authorization: string): { clientId: string; secret: string } | string {
  const match = /^basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(authorization);
  if (!match) {
    return /^basic( |$)/i.test(authorization) ? 'malformed_basic' : 'unsupported_scheme';
  }
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) return 'malformed_basic';
  try {
    const clientId = formDecode(decoded.slice(0, colon));
    const secret = formDecode(decoded.slice(colon + 1));
    return clientId === '' || secret === '' ? 'malformed_basic' : { clientId, secret };
  } catch {
    return 'malformed_basic';
  }
}

/** application/x-www-form-urlencoded decoding of one value; throws on a broken escape. */
function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}
