import { HttpError } from '@gatehouse/shared';
import { toBackchannel } from '../provider/openid-provider.js';
import type { ProviderEndpoints, ProviderSettings } from './provider-kind.js';

/** GitHub's public web origin, the default `<ID>_ISSUER` of a `github` provider. */
export const GITHUB_COM = 'https://github.com';

/**
 * GitHub's fixed endpoints under its web origin (github.com, a GitHub Enterprise Server or a
 * GHE.com subdomain). No network: OAuth 2 without OpenID has no discovery document. The token
 * endpoint goes over the back channel when one is set; the browser gets the authorization
 * endpoint on the issuer. A bad issuer is HttpError 502 `discovery_failed`, as for OpenID kinds.
 *
 * @example
 * githubEndpoints({ issuer: 'https://github.com', ... }).tokenEndpoint;
 * // 'https://github.com/login/oauth/access_token'
 */
export function githubEndpoints(
  settings: Pick<ProviderSettings, 'issuer' | 'backchannelUrl'>,
): ProviderEndpoints {
  const origin = webOrigin(settings.issuer);
  return {
    issuer: origin,
    authorizationEndpoint: `${origin}/login/oauth/authorize`,
    tokenEndpoint: toBackchannel(
      `${origin}/login/oauth/access_token`,
      origin,
      settings.backchannelUrl,
    ),
    jwksUri: undefined,
    userinfoEndpoint: undefined,
    idTokenSigningAlgs: [],
  };
}

/**
 * Where GitHub's REST API lives, without a trailing slash: `<ID>_API_URL` when set, else
 * https://api.github.com for github.com, `https://api.<subdomain>.ghe.com` for GHE.com, and
 * `<issuer>/api/v3` for a GitHub Enterprise Server.
 */
export function githubApiUrl(settings: Pick<ProviderSettings, 'issuer' | 'apiUrl'>): string {
  if (settings.apiUrl) return settings.apiUrl.replace(/\/+$/, '');
  const origin = webOrigin(settings.issuer);
  if (origin === GITHUB_COM) return 'https://api.github.com';
  const { host } = new URL(origin);
  if (host.endsWith('.ghe.com')) return `https://api.${host}`;
  return `${origin}/api/v3`;
}

/** GitHub's web origin from the issuer; anything but an http(s) origin is refused. */
function webOrigin(issuer: string): string {
  let url: URL | undefined;
  try {
    url = new URL(issuer);
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol) || !/^\/?$/.test(url.pathname)) {
    throw new HttpError(
      502,
      'discovery_failed',
      `${issuer} is not a GitHub web origin; set the provider's _ISSUER to one, e.g. ${GITHUB_COM}`,
    );
  }
  return url.origin;
}
