import { HttpError } from '@gatehouse/shared';
import { discoveryDocument, toBackchannel, type OpenIdProvider } from './openid-provider.js';

export type Fetch = typeof fetch;

/**
 * Reads `${issuer}/.well-known/openid-configuration` (over the back channel when set) and
 * checks it: the document's `issuer` must be the configured one (OpenID Discovery 4.3), or
 * `publishedIssuer` when the caller knows the document names another (Entra's multi-tenant
 * template), so a misconfigured or spoofed document is refused rather than trusted. No
 * browser takes part, so every failure (unreachable, timed out, non-200, not JSON, unusable)
 * is one HttpError 502 `discovery_failed`, with the network or parse error as `cause`.
 */
export async function discoverProvider(options: {
  issuer: string;
  /** What the document must name when not `issuer` itself. */
  publishedIssuer?: string;
  /** The variable a refused issuer points to; default GOOGLE_ISSUER. */
  issuerVariable?: string;
  backchannelUrl: string | undefined;
  fetch: Fetch;
  /** Ends the request (shutdown, timeout); default: a 5 s timeout. */
  signal?: AbortSignal;
}): Promise<OpenIdProvider> {
  const { issuer, backchannelUrl } = options;
  const url = toBackchannel(`${issuer}/.well-known/openid-configuration`, issuer, backchannelUrl);
  const failed = (why: string, cause?: unknown) =>
    new HttpError(502, 'discovery_failed', `${url} ${why}`, { cause });
  let body: unknown;
  try {
    const response = await options.fetch(url, {
      headers: { accept: 'application/json' },
      signal: options.signal ?? AbortSignal.timeout(5000),
      redirect: 'error',
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw failed(`answered ${response.status}`);
    }
    body = await response.json().catch((err: unknown) => {
      throw failed('is not JSON', err);
    });
  } catch (err) {
    throw err instanceof HttpError ? err : failed('could not be fetched', err);
  }
  const parsed = discoveryDocument.safeParse(body);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new HttpError(502, 'discovery_failed', `${url} is not a usable document (${fields})`);
  }
  const document = parsed.data;
  const expected = options.publishedIssuer ?? issuer;
  if (document.issuer !== expected) {
    throw new HttpError(
      502,
      'discovery_failed',
      `${url} names issuer ${document.issuer}, expected ${expected}; check ${options.issuerVariable ?? 'GOOGLE_ISSUER'}`,
    );
  }
  const backchannel = (endpoint: string) => toBackchannel(endpoint, issuer, backchannelUrl);
  return {
    issuer: document.issuer,
    authorizationEndpoint: document.authorization_endpoint,
    tokenEndpoint: backchannel(document.token_endpoint),
    jwksUri: backchannel(document.jwks_uri),
    userinfoEndpoint: document.userinfo_endpoint && backchannel(document.userinfo_endpoint),
    idTokenSigningAlgs: document.id_token_signing_alg_values_supported ?? [],
  };
}
