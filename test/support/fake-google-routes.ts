import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeGoogleIdTokens } from './fake-google-id-tokens.js';
import type {
  FakeGoogleAccounts,
  FakeGoogleEndpoint,
  FakeGoogleUser,
  IssuedCode,
  Misbehaviour,
  RawAnswer,
} from './fake-google-types.js';

/** Answers one request; never rejects (a failure is a 500). */
export type FakeGoogleHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => void;

/**
 * The fake Google's endpoints: discovery, JWKS, an authorization endpoint that approves at once,
 * a token endpoint that checks the single-use code, client secret, redirect URI and PKCE
 * verifier, and userinfo. `current()` is read per request: `misbehave` applies at once.
 * An authorization asking `offline_access` gets a refresh token; the token endpoint redeems it
 * (`grant_type=refresh_token`, rotated at each use, as Okta does) for a new id_token without a
 * nonce that carries the account's claims as they are now, and refuses an unknown, rotated or
 * revoked one with `invalid_grant`.
 */
export function fakeGoogleRoutes(options: {
  issuer: string;
  clientId: string;
  clientSecret: string;
  idTokens: FakeGoogleIdTokens;
  accounts: FakeGoogleAccounts;
  current(): { user: FakeGoogleUser; misbehaviour: Misbehaviour };
}): FakeGoogleHandler {
  const { issuer, clientId, clientSecret, idTokens, accounts, current } = options;
  const codes = new Map<string, IssuedCode>();
  const accessTokens = new Map<string, FakeGoogleUser>();

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const endpoint = (path: string) => `${issuer}${path}`;
    const named = ENDPOINTS[url.pathname];
    const raw = named && current().misbehaviour.answers?.[named];
    if (raw) return sendRaw(res, raw);
    switch (`${req.method} ${url.pathname}`) {
      case 'GET /.well-known/openid-configuration':
        return send(res, 200, {
          issuer,
          authorization_endpoint: endpoint('/authorize'),
          token_endpoint: endpoint('/token'),
          jwks_uri: endpoint('/jwks'),
          userinfo_endpoint: endpoint('/userinfo'),
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          code_challenge_methods_supported: ['S256'],
        });
      case 'GET /jwks':
        if (current().misbehaviour.jwksDown) {
          return send(res, 503, { error: 'temporarily_unavailable' });
        }
        return send(res, 200, idTokens.jwks);
      case 'GET /authorize':
        return authorizeEndpoint(res, url.searchParams);
      case 'POST /token':
        return tokenEndpoint(res, new URLSearchParams(await readBody(req)));
      case 'GET /userinfo':
        return userinfoEndpoint(req, res);
      default:
        return send(res, 404, { error: 'not_found' });
    }
  }

  function authorizeEndpoint(res: ServerResponse, params: URLSearchParams): void {
    const { user, misbehaviour } = current();
    const redirectUri = params.get('redirect_uri');
    if (params.get('client_id') !== clientId || !redirectUri) {
      return send(res, 400, { error: 'invalid_client' });
    }
    const back = new URL(redirectUri);
    const state = params.get('state');
    if (state !== null) back.searchParams.set('state', state);
    if (misbehaviour.authorizeError) {
      back.searchParams.set('error', misbehaviour.authorizeError);
    } else if (params.get('response_type') !== 'code') {
      back.searchParams.set('error', 'unsupported_response_type');
    } else {
      const code = randomBytes(16).toString('base64url');
      codes.set(code, {
        clientId,
        redirectUri,
        nonce: params.get('nonce') ?? undefined,
        codeChallenge:
          params.get('code_challenge_method') === 'S256'
            ? (params.get('code_challenge') ?? undefined)
            : undefined,
        user: { ...user },
        misbehaviour: { ...misbehaviour },
        offline: (params.get('scope') ?? '').split(' ').includes('offline_access'),
      });
      accounts.bySub.set(user.sub, { ...user });
      back.searchParams.set('code', code);
    }
    res.writeHead(302, { location: back.href }).end();
  }

  async function tokenEndpoint(res: ServerResponse, form: URLSearchParams): Promise<void> {
    const { misbehaviour } = current();
    if (misbehaviour.tokenGate) {
      misbehaviour.tokenGate.arrived();
      await misbehaviour.tokenGate.released;
    }
    if (misbehaviour.tokenEndpointDown) return send(res, 503, { error: 'temporarily_unavailable' });
    if (misbehaviour.tokenError) return send(res, 400, { error: misbehaviour.tokenError });
    const clientKnown =
      form.get('client_id') === clientId && form.get('client_secret') === clientSecret;
    if (form.get('grant_type') === 'refresh_token') {
      if (!clientKnown) return send(res, 401, { error: 'invalid_client' });
      return refreshGrant(res, form, misbehaviour);
    }
    const code = form.get('code') ?? '';
    const issued = codes.get(code);
    codes.delete(code); // single use
    if (!clientKnown) return send(res, 401, { error: 'invalid_client' });
    if (
      form.get('grant_type') !== 'authorization_code' ||
      !issued ||
      issued.redirectUri !== form.get('redirect_uri')
    ) {
      return send(res, 400, { error: 'invalid_grant' });
    }
    const verifier = form.get('code_verifier');
    if (!issued.codeChallenge || !verifier || s256(verifier) !== issued.codeChallenge) {
      return send(res, 400, { error: 'invalid_grant', error_description: 'PKCE failed' });
    }
    const accessToken = randomBytes(16).toString('base64url');
    accessTokens.set(accessToken, issued.user);
    send(res, 200, {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: 3599,
      scope: 'openid email profile',
      id_token: await idTokens.sign(issued),
      ...(issued.offline &&
        !issued.misbehaviour.withholdRefreshToken && {
          refresh_token: issueRefreshToken(issued.user.sub),
        }),
    });
  }

  function issueRefreshToken(sub: string): string {
    const token = `rt-${randomBytes(16).toString('base64url')}`;
    accounts.refreshTokens.set(token, sub);
    return token;
  }

  async function refreshGrant(res: ServerResponse, form: URLSearchParams, m: Misbehaviour) {
    const token = form.get('refresh_token') ?? '';
    const sub = accounts.refreshTokens.get(token);
    const account = sub === undefined ? undefined : accounts.bySub.get(sub);
    if (!account) return send(res, 400, { error: 'invalid_grant' });
    accounts.refreshTokens.delete(token);
    const user = { ...account, sub: m.refreshSub ?? account.sub };
    const accessToken = randomBytes(16).toString('base64url');
    accessTokens.set(accessToken, user);
    send(res, 200, {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: 3599,
      refresh_token: issueRefreshToken(account.sub),
      ...(!m.refreshWithoutIdToken && {
        id_token: await idTokens.sign({
          clientId,
          redirectUri: '',
          nonce: undefined,
          codeChallenge: undefined,
          user,
          misbehaviour: m,
        }),
      }),
    });
  }

  function userinfoEndpoint(req: IncomingMessage, res: ServerResponse): void {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const who = token ? accessTokens.get(token) : undefined;
    if (!who) return send(res, 401, { error: 'invalid_token' });
    send(res, 200, {
      sub: current().misbehaviour.userinfoSub ?? who.sub,
      email: who.email,
      email_verified: who.email_verified,
      name: who.name,
      picture: who.picture,
      ...(who.hd ? { hd: who.hd } : {}),
    });
  }

  return (req, res, url) => {
    route(req, res, url).catch((err: unknown) => send(res, 500, { error: String(err) }));
  };
}

const ENDPOINTS: Record<string, FakeGoogleEndpoint | undefined> = {
  '/.well-known/openid-configuration': 'discovery',
  '/jwks': 'jwks',
  '/token': 'token',
  '/userinfo': 'userinfo',
};

/** A raw answer as configured; `hang` leaves the response open until the socket closes. */
function sendRaw(res: ServerResponse, raw: RawAnswer): void {
  if (raw === 'hang') return;
  res.writeHead(raw.status, { 'content-type': raw.type ?? 'application/json' });
  res.end(raw.body);
}

function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
