import type { IncomingMessage, ServerResponse } from 'node:http';
import type {
  FakeGitHubEndpoint,
  FakeGitHubUser,
  GitHubMisbehaviour,
  IssuedGitHubToken,
  RawAnswer,
} from './fake-github-types.js';

/** GitHub's own page sizes. */
const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;

const MESSAGES: Record<number, string> = {
  401: 'Bad credentials',
  403: 'Resource not accessible by integration',
  404: 'Not Found',
  500: 'Internal Server Error',
};

/**
 * GitHub's REST routes the sign-in reads: GET /user, /user/emails, /user/orgs, /user/teams,
 * for a Bearer (or `token`) access token, lists paginated as GitHub does (`per_page`, `page`,
 * a `Link` header with next/last/prev/first). Scopes are enforced roughly as GitHub does:
 * /user/emails needs `user:email` (else 404), /user/teams `read:org` (else 403), and /user/orgs
 * lists nothing without `read:org` (private memberships are hidden).
 */
export function fakeGitHubApi(options: {
  tokens: ReadonlyMap<string, IssuedGitHubToken>;
  misbehaviour(): GitHubMisbehaviour;
}) {
  return (req: IncomingMessage, res: ServerResponse, url: URL, base: string): void => {
    const misbehaviour = options.misbehaviour();
    const name = ROUTES[url.pathname];
    if (req.method !== 'GET' || !name) return message(res, 404);
    const raw = misbehaviour.answers?.[name];
    if (raw) return sendRaw(res, raw);
    if (misbehaviour.apiStatus) return message(res, misbehaviour.apiStatus);
    if (misbehaviour.rateLimited) {
      res.writeHead(403, {
        'content-type': 'application/json; charset=utf-8',
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      });
      res.end(JSON.stringify({ message: 'API rate limit exceeded' }));
      return;
    }
    const token = /^(?:Bearer|token) (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const granted = token ? options.tokens.get(token) : undefined;
    if (!granted) return message(res, 401, token ? undefined : 'Requires authentication');
    const can = (...scopes: string[]) => scopes.some((scope) => granted.scopes.includes(scope));
    const user = granted.user;
    switch (name) {
      case 'user':
        return json(res, 200, profile(user));
      case 'emails':
        if (!can('user', 'user:email')) return message(res, 404);
        return page(res, url, base, emails(user, misbehaviour), misbehaviour.pageSize);
      case 'orgs': {
        const orgs = misbehaviour.noOrgs || !can('read:org', 'user') ? [] : user.orgs;
        return page(res, url, base, orgs.map(organisation), misbehaviour.pageSize);
      }
      case 'teams': {
        if (!can('read:org', 'user')) return message(res, 403);
        const teams = misbehaviour.noOrgs ? [] : user.teams;
        return page(res, url, base, teams.map(team), misbehaviour.pageSize);
      }
    }
  };
}

const ROUTES: Record<string, FakeGitHubEndpoint | undefined> = {
  '/user': 'user',
  '/user/emails': 'emails',
  '/user/orgs': 'orgs',
  '/user/teams': 'teams',
};

function profile(user: FakeGitHubUser) {
  return {
    login: user.login,
    id: user.id,
    node_id: `U_${user.id}`,
    avatar_url: user.avatar_url,
    html_url: `https://github.example/${user.login}`,
    type: 'User',
    site_admin: false,
    name: user.name,
    // The public profile address: anyone can type anything here, nothing is verified.
    email: 'public-profile@unverified.example',
  };
}

function emails(user: FakeGitHubUser, misbehaviour: GitHubMisbehaviour) {
  return user.emails
    .filter((entry) => !(misbehaviour.noPrimaryEmail && entry.primary))
    .map((entry) => ({
      ...entry,
      verified: entry.verified && !(misbehaviour.unverifiedPrimaryEmail && entry.primary),
      visibility: entry.primary ? 'private' : null,
    }));
}

function organisation(login: string, index: number) {
  return { login, id: 1000 + index, node_id: `O_${login}`, description: null };
}

function team({ org, slug }: { org: string; slug: string }, index: number) {
  return { id: 2000 + index, slug, name: slug, organization: organisation(org, index) };
}

/** One page of `items` and GitHub's Link header for the others. */
function page(
  res: ServerResponse,
  url: URL,
  base: string,
  items: unknown[],
  forced: number | undefined,
): void {
  const asked = Number(url.searchParams.get('per_page') ?? DEFAULT_PER_PAGE);
  const size = forced ?? Math.min(Math.max(1, asked || DEFAULT_PER_PAGE), MAX_PER_PAGE);
  const last = Math.max(1, Math.ceil(items.length / size));
  const number = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
  const at = (n: number) => {
    const link = new URL(`${base}${url.pathname}`);
    link.searchParams.set('per_page', String(size));
    link.searchParams.set('page', String(n));
    return link.href;
  };
  const links = [
    ...(number < last ? [`<${at(number + 1)}>; rel="next"`, `<${at(last)}>; rel="last"`] : []),
    ...(number > 1 ? [`<${at(number - 1)}>; rel="prev"`, `<${at(1)}>; rel="first"`] : []),
  ];
  json(
    res,
    200,
    items.slice((number - 1) * size, number * size),
    links.length ? { link: links.join(', ') } : {},
  );
}

/** A configured raw answer; `hang` leaves the response open until the socket closes. */
export function sendRaw(res: ServerResponse, raw: RawAnswer): void {
  if (raw === 'hang') return;
  res.writeHead(raw.status, { 'content-type': raw.type ?? 'application/json', ...raw.headers });
  res.end(raw.body);
}

function message(res: ServerResponse, status: number, text?: string): void {
  json(res, status, {
    message: text ?? MESSAGES[status] ?? 'Error',
    documentation_url: 'https://docs.github.com/rest',
  });
}

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}
