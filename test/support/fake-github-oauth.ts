import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeGitHubUser, GitHubMisbehaviour, IssuedGitHubCode } from './fake-github-types.js';

/**
 * GitHub's OAuth web flow: an authorization endpoint that approves at once, and a token
 * endpoint that checks the client (form body or Basic), the single-use code, the redirect URI
 * and the PKCE verifier (S256 only, required when a challenge was sent). Like GitHub, the token
 * endpoint answers 200 even for errors, form-encoded unless the request accepts JSON.
 */
export function fakeGitHubOAuth(options: {
  clientId: string;
  clientSecret: string;
  current(): { user: FakeGitHubUser; misbehaviour: GitHubMisbehaviour };
  /** Issues an access token for the code's user and scopes. */
  issue(code: IssuedGitHubCode): string;
  authorized(params: URLSearchParams): void;
}) {
  const codes = new Map<string, IssuedGitHubCode>();

  function authorize(res: ServerResponse, params: URLSearchParams): void {
    const { user, misbehaviour } = options.current();
    options.authorized(params);
    const redirectUri = params.get('redirect_uri');
    if (params.get('client_id') !== options.clientId || !redirectUri) {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>404 Not Found</h1>');
      return;
    }
    const back = new URL(redirectUri);
    const state = params.get('state');
    if (state !== null) back.searchParams.set('state', state);
    const challenge = params.get('code_challenge') ?? undefined;
    if (misbehaviour.authorizeError) {
      back.searchParams.set('error', misbehaviour.authorizeError);
    } else if (challenge && params.get('code_challenge_method') !== 'S256') {
      back.searchParams.set('error', 'invalid_request');
    } else {
      const code = randomBytes(10).toString('hex');
      const scopes = (params.get('scope') ?? '').split(/[\s,]+/).filter(Boolean);
      codes.set(code, {
        redirectUri,
        codeChallenge: challenge,
        scopes,
        user: structuredClone(user),
      });
      back.searchParams.set('code', code);
    }
    res.writeHead(302, { location: back.href }).end();
  }

  async function token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { misbehaviour } = options.current();
    const form = await readForm(req);
    const answer = (body: Record<string, string>) => sendTokenAnswer(req, res, body);
    if (misbehaviour.tokenError) return answer(githubError(misbehaviour.tokenError));
    const client = basicCredentials(req) ?? {
      id: form.get('client_id'),
      secret: form.get('client_secret'),
    };
    if (client.id !== options.clientId || client.secret !== options.clientSecret) {
      return answer(githubError('incorrect_client_credentials'));
    }
    const code = form.get('code') ?? '';
    const issued = codes.get(code);
    codes.delete(code); // single use
    if (!issued) return answer(githubError('bad_verification_code'));
    const redirectUri = form.get('redirect_uri');
    if (redirectUri !== null && redirectUri !== issued.redirectUri) {
      return answer(githubError('redirect_uri_mismatch'));
    }
    const verifier = form.get('code_verifier');
    if (
      issued.codeChallenge !== undefined &&
      (!verifier || s256(verifier) !== issued.codeChallenge)
    ) {
      return answer(githubError('bad_verification_code'));
    }
    answer({
      access_token: options.issue(issued),
      token_type: 'bearer',
      scope: issued.scopes.join(','),
    });
  }

  return { authorize, token };
}

function githubError(error: string): Record<string, string> {
  return {
    error,
    error_description: `fake GitHub refused the token request (${error})`,
    error_uri: 'https://docs.github.com/apps/oauth-apps',
  };
}

/** JSON when the request accepts it, else form-encoded, as GitHub negotiates. */
function sendTokenAnswer(
  req: IncomingMessage,
  res: ServerResponse,
  body: Record<string, string>,
): void {
  if ((req.headers.accept ?? '').includes('application/json')) {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
    return;
  }
  res.writeHead(200, { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' });
  res.end(new URLSearchParams(body).toString());
}

function basicCredentials(req: IncomingMessage): { id: string; secret: string } | undefined {
  const encoded = /^Basic (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (!encoded) return undefined;
  const pair = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = pair.indexOf(':');
  if (colon < 0) return undefined;
  return {
    id: decodeURIComponent(pair.slice(0, colon)),
    secret: decodeURIComponent(pair.slice(colon + 1)),
  };
}

/** The token request's parameters, from a form or a JSON body (GitHub takes both). */
async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!(req.headers['content-type'] ?? '').includes('json')) return new URLSearchParams(text);
  return new URLSearchParams(JSON.parse(text) as Record<string, string>);
}

function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}
