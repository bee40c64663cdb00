import { SignInError } from '../sign-in-error.js';
import { nextLink } from './github-next-link.js';
import type { Fetch } from './provider-kind.js';

/** The REST API version these requests are written against. */
const API_VERSION = '2022-11-28';
/** GitHub's largest page. */
const PER_PAGE = 100;
/** Pages followed per list (1000 entries): a longer chain is a server gone wrong. */
export const MAX_PAGES = 10;

/** GitHub's REST API as one sign-in's access token sees it. */
export interface GitHubApi {
  /** GET `path` (e.g. `/user`): its JSON answer. */
  get(path: string): Promise<unknown>;
  /** GET every page of the list at `path`, following `Link: rel="next"`. */
  list(path: string): Promise<unknown[]>;
}

/**
 * The REST client of one sign-in. Every request carries the token as a Bearer header (never in
 * a URL, message or log), refuses redirects and times out. Pagination follows `rel="next"` only
 * within `apiUrl`, so a forged Link cannot send the token elsewhere. Failures are SignInErrors
 * classified by who caused them (refusal()).
 */
export function githubApi(options: {
  /** The API origin and base path, no trailing slash (githubApiUrl). */
  apiUrl: string;
  accessToken: string;
  fetch: Fetch;
  /** How long each request may take. */
  timeoutMs: number;
}): GitHubApi {
  const headers = {
    authorization: `Bearer ${options.accessToken}`,
    accept: 'application/vnd.github+json',
    'x-github-api-version': API_VERSION,
    'user-agent': 'gatehouse',
  };
  const call = async (path: string, url: string) => {
    let response: Response;
    try {
      response = await options.fetch(url, {
        headers,
        signal: AbortSignal.timeout(options.timeoutMs),
        redirect: 'error',
      });
    } catch (err) {
      throw unavailable('github_api', `GET ${path} failed`, err);
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw refusal(path, response);
    }
    try {
      return { body: await response.json(), next: nextLink(response.headers.get('link'), url) };
    } catch (err) {
      throw unavailable('github_api', `GET ${path} did not answer JSON`, err);
    }
  };
  return {
    get: async (path) => (await call(path, `${options.apiUrl}${path}`)).body,
    async list(path) {
      const items: unknown[] = [];
      let url: string | undefined = `${options.apiUrl}${path}?per_page=${PER_PAGE}`;
      for (let page = 1; url !== undefined; page++) {
        if (page > MAX_PAGES) {
          throw unavailable('pagination', `GET ${path} has more than ${MAX_PAGES} pages`);
        }
        const { body, next } = await call(path, url);
        if (!Array.isArray(body)) throw unavailable('github_api', `GET ${path} is not a list`);
        items.push(...(body as unknown[]));
        if (next !== undefined && !next.startsWith(`${options.apiUrl}/`)) {
          throw unavailable('pagination', `GET ${path} links its next page outside the API`);
        }
        url = next;
      }
      return items;
    },
  };
}

/**
 * A non-2xx answer, by who caused it:
 * - rate limited (429, or 403 with no requests left or a Retry-After): GitHub, 502;
 * - 401 anywhere, 403 on /user: GitHub no longer accepts the token it has just issued (revoked
 *   meanwhile): 400 `invalid_grant`, start again;
 * - 403 or 404 on the other endpoints: the token lacks a scope or permission, which is this
 *   deployment's GitHub app registration: 500, for the operator;
 * - anything else: 502 `provider_unavailable`.
 */
function refusal(path: string, response: Response): SignInError {
  const { status, headers } = response;
  const answered = `GitHub answered ${status} to GET ${path}`;
  if (
    status === 429 ||
    (status === 403 && (headers.get('x-ratelimit-remaining') === '0' || headers.has('retry-after')))
  ) {
    return unavailable('rate_limited', `${answered} (rate limited)`);
  }
  if (status === 401 || (status === 403 && path === '/user')) {
    return new SignInError(
      400,
      'invalid_grant',
      'token_refused',
      'GitHub no longer accepts this sign-in; start again',
      { audit: { github_status: status, github_path: path } },
    );
  }
  if (status === 403 || status === 404) {
    return new SignInError(
      500,
      'server_error',
      'api_permission',
      `${answered}; an OAuth app needs the scopes read:user, user:email and read:org (for orgs ` +
        'and teams), a GitHub App the permissions "Email addresses" and "Members" (read)',
    );
  }
  return unavailable('github_api', answered);
}

function unavailable(reason: string, description: string, cause?: unknown): SignInError {
  return new SignInError(502, 'provider_unavailable', reason, description, { cause });
}
