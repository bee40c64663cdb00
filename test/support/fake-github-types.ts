/** One address of GET /user/emails. */
export interface FakeGitHubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
}

/** Who signs in at the next authorizations (and whom `accessToken()` speaks for). */
export interface FakeGitHubUser {
  /** The numeric id: what never changes, unlike the login. */
  id: number;
  login: string;
  name: string | null;
  avatar_url: string;
  emails: FakeGitHubEmail[];
  /** Organisation logins, as GitHub spells them (mixed case). */
  orgs: string[];
  teams: { org: string; slug: string }[];
}

/** The endpoints a test can replace with a raw answer, by name. */
export type FakeGitHubEndpoint = 'token' | 'user' | 'emails' | 'orgs' | 'teams';

/** What an endpoint sends instead of its own answer; `hang` never answers (for timeouts). */
export type RawAnswer =
  { status: number; type?: string; body: string; headers?: Record<string, string> } | 'hang';

/** Ways GitHub can go wrong; each lasts until changed or `reset()`. */
export interface GitHubMisbehaviour {
  /** Every request's connection is cut: GitHub is down. */
  down?: boolean;
  /** Every API route answers this status with GitHub's message (401: a revoked token; 500). */
  apiStatus?: number;
  /** Every API route answers 403 with `x-ratelimit-remaining: 0`, as GitHub rate-limits. */
  rateLimited?: boolean;
  /** The primary address is not verified (the verified secondary ones stay). */
  unverifiedPrimaryEmail?: boolean;
  /** No address is primary: only the secondary ones are listed, verified or not. */
  noPrimaryEmail?: boolean;
  /** The person belongs to no organisation and no team. */
  noOrgs?: boolean;
  /** Lists are cut into pages this long whatever `per_page` asks (Link pagination). */
  pageSize?: number;
  /** The token endpoint answers 200 with this error, as GitHub does (`bad_verification_code`). */
  tokenError?: string;
  /** The authorization endpoint redirects back with this `error` (e.g. `access_denied`). */
  authorizeError?: string;
  /** Endpoints answering with a raw response, or hanging, instead of their own. */
  answers?: Partial<Record<FakeGitHubEndpoint, RawAnswer>>;
}

/** A request as the fake saw it. */
export interface FakeGitHubRequest {
  method: string;
  /** Path and query, e.g. `/user/orgs?per_page=100&page=2`. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface FakeGitHub {
  /** Origin of the server (web and API), e.g. http://127.0.0.1:41234. */
  readonly url: string;
  /** The REST API origin to configure as `<ID>_API_URL` (the same server). */
  readonly apiUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Requests seen, in order. */
  readonly requests: FakeGitHubRequest[];
  /** The query of the last authorization request (`scope`, `code_challenge`, `nonce`, ...). */
  readonly lastAuthorization: URLSearchParams | undefined;
  nextLogin(user: Partial<FakeGitHubUser>): void;
  misbehave(misbehaviour: GitHubMisbehaviour): void;
  /** Back to the default user, good behaviour and an empty request log. */
  reset(): void;
  /**
   * An access token for the current user, as the token endpoint would issue it after an
   * authorization with `scopes` (default: every scope the sign-in may ask).
   */
  accessToken(scopes?: string[]): string;
  /**
   * Changes what GitHub says about the account `id` from now on, for its tokens already
   * issued too (an org or team joined or left since the sign-in).
   */
  changeAccount(id: number, change: Partial<Pick<FakeGitHubUser, 'orgs' | 'teams'>>): void;
  /** Revokes every token issued to the account `id`: the API answers 401 to them. */
  revokeTokens(id: number): void;
  /** Follows an authorization URL as a browser would; returns the callback URL. */
  authorize(authorizationUrl: string): Promise<string>;
  close(): Promise<void>;
}

/** What the authorization endpoint remembers about a code, for the token endpoint. */
export interface IssuedGitHubCode {
  redirectUri: string;
  codeChallenge: string | undefined;
  scopes: string[];
  user: FakeGitHubUser;
}

/** What an access token grants. */
export interface IssuedGitHubToken {
  scopes: string[];
  user: FakeGitHubUser;
}

/** Who signs in until `nextLogin` says otherwise. */
export const DEFAULT_GITHUB_USER: FakeGitHubUser = {
  id: 5_834_231,
  login: 'octo-dev',
  name: 'Octo Developer',
  avatar_url: 'https://avatars.example.com/u/5834231',
  emails: [
    { email: 'Octo@Example.com', primary: true, verified: true },
    { email: 'octo@other.example', primary: false, verified: true },
  ],
  orgs: ['Gatehouse-Dev'],
  teams: [{ org: 'Gatehouse-Dev', slug: 'platform' }],
};
