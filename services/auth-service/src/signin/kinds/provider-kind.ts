import type { ProviderEndpoints } from '../provider/openid-provider.js';
import type { ProviderKind, VerifiedIdentity } from './verified-identity.js';
import type { ServiceAccountKey } from '../provider/service-account-key.js';

export type { ProviderEndpoints };

export type Fetch = typeof fetch;

/** One configured provider, from PROVIDERS and its `<ID>_*` variables (config/providers-env.ts). */
export interface ProviderSettings {
  /** The id in PROVIDERS: [a-z][a-z0-9]*; its variables are `<ID upper-cased>_*`. */
  id: string;
  kind: ProviderKind;
  /** The button label (`<ID>_NAME`). */
  name: string;
  clientId: string;
  clientSecret: string;
  /**
   * OpenID kinds: the issuer (`<ID>_ISSUER`; Entra: the tenant's or the multi-tenant
   * `https://login.microsoftonline.com/organizations/v2.0`). GitHub: its web origin
   * (`<ID>_ISSUER`, default https://github.com; GitHub Enterprise Server: its origin).
   */
  issuer: string;
  /** Origin replacing the issuer's for server-to-server calls (`<ID>_BACKCHANNEL_URL`). */
  backchannelUrl: string | undefined;
  /** GitHub's REST API origin (`<ID>_API_URL`, default https://api.github.com). */
  apiUrl: string | undefined;
  /** PUBLIC_URL origin + /auth/connect/<id>/callback. */
  redirectUri: string;
  /** On top of the global ALLOWED_EMAILS / ALLOWED_DOMAINS (lower-cased). */
  allowedEmails: readonly string[];
  allowedDomains: readonly string[];
  /** Entra: tenant ids (`tid`) admitted (`<ID>_TENANTS`); empty: the issuer's own tenant only. */
  tenants: readonly string[];
  /** GitHub: organisations one of which the person must belong to (`<ID>_ORGS`); empty: any. */
  orgs: readonly string[];
  /** OpenID kinds: the claim whose values are groups for the role map (`<ID>_ROLES_CLAIM`). */
  rolesClaim: string | undefined;
  /** Group → roles (`<ID>_ROLE_MAP="eng-admins:admin,analysts:analyst"`). */
  roleMap: ReadonlyMap<string, readonly string[]>;
  /**
   * google kind: Workspace groups through the Directory API (`<ID>_GROUPS_*`), read at
   * sign-in and again at refresh; undefined when not configured. The service account key is
   * read from its file when the configuration is loaded.
   */
  workspaceGroups:
    | {
        serviceAccountKey: ServiceAccountKey;
        adminEmail: string;
        directoryUrl: string | undefined;
      }
    | undefined;
}

/** The provider's token response as grant hands it over (transport `session`). */
export interface TokenResponse {
  id_token?: unknown;
  access_token?: unknown;
  refresh_token?: unknown;
}

/**
 * Turns one sign-in's token response into a VerifiedIdentity, or throws SignInError
 * (signin/sign-in-error.ts): 401 for a token or answer that fails a check, 403 for a person the
 * kind's own rules refuse (an Entra tenant not admitted, no GitHub org), 502 when the provider
 * fails. `expectedNonce` is the nonce this browser session sent (OpenID kinds check it).
 */
export type Identify = (
  response: TokenResponse,
  expectedNonce: string,
) => Promise<VerifiedIdentity>;

/**
 * What is kept of a sign-in's token response to read the person's groups again later, in the
 * token response's own field names: OpenID kinds a `refresh_token`, GitHub its `access_token`.
 * Stored sealed (roles/credential-seal.ts), never logged.
 */
export interface ProviderCredential {
  refresh_token?: string;
  access_token?: string;
}

/**
 * The groups read again with a kept credential, and the credential to keep from now on when
 * the provider rotated it. Throws SignInError: 502 and above when the provider could not be
 * asked (unreachable, timed out, 5xx, rate limited: an outage); anything else is a refusal
 * (a revoked or expired credential, an id_token that fails a check or names someone else).
 */
export type ReadGroups = (
  subject: string,
  credential: ProviderCredential,
) => Promise<{ groups: string[]; credential?: ProviderCredential }>;

/** A kind whose groups can be read again at refresh, with a credential kept at sign-in. */
export interface GroupReread {
  /** Whether these settings' groups can be read again (the kind's groups feed the role map). */
  applies(settings: ProviderSettings): boolean;
  /** What to keep from a sign-in's token response; null when it holds nothing usable. */
  keep(response: TokenResponse): ProviderCredential | null;
  reader(
    settings: ProviderSettings,
    endpoints: ProviderEndpoints,
    deps: { fetch: Fetch; now: () => number; timeoutMs: number },
  ): ReadGroups;
}

/** What each kind provides; sign-in composes these and knows no kind by name. */
export interface KindModule {
  /** Scopes asked at the authorization endpoint. */
  scopes(settings: ProviderSettings): string[];
  /**
   * Whether the authorization request carries `prompt=consent`; absent: never. OpenID Core 11
   * has a provider ignore `offline_access` without it (node-oidc-provider does), so no refresh
   * token would come.
   */
  promptsConsent?(settings: ProviderSettings): boolean;
  /**
   * The endpoints (OpenID discovery, or fixed for GitHub). Every failure is HttpError 502
   * `discovery_failed` naming the URL; the loader retries with backoff.
   */
  discover(
    settings: ProviderSettings,
    deps: { fetch: Fetch; signal: AbortSignal },
  ): Promise<ProviderEndpoints>;
  identify(
    settings: ProviderSettings,
    endpoints: ProviderEndpoints,
    deps: { fetch: Fetch; now: () => number; timeoutMs: number },
  ): Identify;
  /** Present for kinds whose groups can be read again at refresh (roles/provider-roles.ts). */
  reread?: GroupReread;
}
