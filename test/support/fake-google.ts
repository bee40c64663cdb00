/**
 * An in-process OpenID provider double standing in for Google in tests: discovery, an
 * authorization endpoint that approves at once, a token endpoint that checks the code, client
 * secret, redirect URI and PKCE verifier, a JWKS, and userinfo. It can misbehave per test.
 *
 * @example
 * const google = await startFakeGoogle({ clientId: 'client', clientSecret: 'secret' });
 * google.nextLogin({ email: 'ada@example.com', hd: 'example.com' });
 * google.misbehave({ nonce: 'wrong' });      // lasts until changed or reset()
 * const callbackUrl = await google.authorize(locationFromLogin);
 * await google.close();
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';

/** Who signs in at the next authorizations. */
export interface FakeGoogleUser {
  sub: string;
  email: string;
  email_verified: boolean;
  /** Workspace domain; omitted for gmail-style accounts. */
  hd?: string;
  name: string;
  picture: string;
}

/** Ways the provider can go wrong; each lasts until changed or `reset()`. */
export interface Misbehaviour {
  /** Signed with another key under the published kid. */
  badSignature?: boolean;
  /** An unsigned token, `alg: none`. */
  algNone?: boolean;
  /** HS256 with the client secret as key. */
  algHmac?: boolean;
  /** Signed with a key whose kid is not in the JWKS. */
  unknownKey?: boolean;
  iss?: string;
  aud?: string | string[];
  azp?: string;
  nonce?: string;
  omitNonce?: boolean;
  /** Issued two hours ago, expired one hour ago. */
  expired?: boolean;
  /** Issued this many seconds in the future. */
  issuedInFuture?: number;
  /** userinfo answers with this sub; the id_token then carries no profile, so it is asked. */
  userinfoSub?: string;
  /** The authorization endpoint redirects back with this `error` (e.g. `access_denied`). */
  authorizeError?: string;
  /** The token endpoint answers 503. */
  tokenEndpointDown?: boolean;
  /** The token endpoint answers 400 with this OAuth error (e.g. `invalid_grant`). */
  tokenError?: string;
  /** The JWKS endpoint answers 503 (the keys cannot be fetched). */
  jwksDown?: boolean;
  /** Every request's connection is cut: the provider is down. */
  down?: boolean;
}

export interface FakeGoogle {
  /** Origin of the server, e.g. http://127.0.0.1:41234. */
  readonly url: string;
  /** The issuer it publishes (its own url unless `issuer` was given). */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Paths requested, in order (e.g. to count JWKS fetches). */
  readonly requests: string[];
  nextLogin(user: Partial<FakeGoogleUser>): void;
  misbehave(misbehaviour: Misbehaviour): void;
  /** Back to the default user, good behaviour and an empty request log. */
  reset(): void;
  /**
   * Follows an authorization URL as a browser would (the URL may name the published issuer
   * origin; it is sent here) and returns the callback URL it redirects to.
   */
  authorize(authorizationUrl: string): Promise<string>;
  close(): Promise<void>;
}

const DEFAULT_USER: FakeGoogleUser = {
  sub: '110248495921238986420',
  email: 'developer@example.com',
  email_verified: true,
  hd: 'example.com',
  name: 'Dev Eloper',
  picture: 'https://example.com/dev.png',
};

interface IssuedCode {
  clientId: string;
  redirectUri: string;
  nonce: string | undefined;
  codeChallenge: string | undefined;
  user: FakeGoogleUser;
  misbehaviour: Misbehaviour;
}

export async function startFakeGoogle(
  options: {
    clientId?: string;
    clientSecret?: string;
    /** Publish this issuer (e.g. https://accounts.google.com) while serving on 127.0.0.1. */
    issuer?: string;
    now?: () => number;
  } = {},
): Promise<FakeGoogle> {
  const clientId = options.clientId ?? 'fake-google-client';
  const clientSecret = options.clientSecret ?? 'fake-google-secret';
  const now = options.now ?? Date.now;
  const signing = await generateKeyPair('RS256', { extractable: true });
  const impostor = await generateKeyPair('RS256');
  const kid = 'fake-google-1';
  const jwks = {
    keys: [{ ...(await exportJWK(signing.publicKey)), kid, alg: 'RS256', use: 'sig' }],
  };

  let user: FakeGoogleUser = { ...DEFAULT_USER };
  let misbehaviour: Misbehaviour = {};
  const codes = new Map<string, IssuedCode>();
  const accessTokens = new Map<string, { sub: string; user: FakeGoogleUser }>();
  const requests: string[] = [];
  const sockets = new Set<Socket>();

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push(url.pathname);
    if (misbehaviour.down) {
      req.socket.destroy();
      return;
    }
    route(req, res, url).catch((err: unknown) => send(res, 500, { error: String(err) }));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = options.issuer ?? origin;

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const endpoint = (path: string) => `${issuer}${path}`;
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
        if (misbehaviour.jwksDown) return send(res, 503, { error: 'temporarily_unavailable' });
        return send(res, 200, jwks);
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
      });
      back.searchParams.set('code', code);
    }
    res.writeHead(302, { location: back.href }).end();
  }

  async function tokenEndpoint(res: ServerResponse, form: URLSearchParams): Promise<void> {
    if (misbehaviour.tokenEndpointDown) return send(res, 503, { error: 'temporarily_unavailable' });
    if (misbehaviour.tokenError) return send(res, 400, { error: misbehaviour.tokenError });
    const code = form.get('code') ?? '';
    const issued = codes.get(code);
    codes.delete(code); // single use
    if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) {
      return send(res, 401, { error: 'invalid_client' });
    }
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
    accessTokens.set(accessToken, { sub: issued.user.sub, user: issued.user });
    send(res, 200, {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: 3599,
      scope: 'openid email profile',
      id_token: await idToken(issued),
    });
  }

  function userinfoEndpoint(req: IncomingMessage, res: ServerResponse): void {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const grantee = token ? accessTokens.get(token) : undefined;
    if (!grantee) return send(res, 401, { error: 'invalid_token' });
    const { user: who } = grantee;
    send(res, 200, {
      sub: misbehaviour.userinfoSub ?? who.sub,
      email: who.email,
      email_verified: who.email_verified,
      name: who.name,
      picture: who.picture,
      ...(who.hd ? { hd: who.hd } : {}),
    });
  }

  async function idToken(issued: IssuedCode): Promise<string> {
    const m = issued.misbehaviour;
    const seconds = Math.floor(now() / 1000);
    const iat = m.expired ? seconds - 7200 : seconds + (m.issuedInFuture ?? 0);
    const profile = m.userinfoSub ? {} : { name: issued.user.name, picture: issued.user.picture };
    const payload: JWTPayload = {
      iss: m.iss ?? issuer,
      aud: m.aud ?? issued.clientId,
      azp: m.azp ?? issued.clientId,
      sub: issued.user.sub,
      email: issued.user.email,
      email_verified: issued.user.email_verified,
      ...(issued.user.hd ? { hd: issued.user.hd } : {}),
      ...profile,
      ...(m.omitNonce ? {} : { nonce: m.nonce ?? issued.nonce }),
      iat,
      exp: iat + 3600,
    };
    if (m.algNone) {
      const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      return `${part({ alg: 'none', typ: 'JWT' })}.${part(payload)}.`;
    }
    if (m.algHmac) {
      return new SignJWT(payload)
        .setProtectedHeader({ alg: 'HS256', kid })
        .sign(new TextEncoder().encode(clientSecret));
    }
    const key: CryptoKey =
      m.badSignature || m.unknownKey ? impostor.privateKey : signing.privateKey;
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', kid: m.unknownKey ? 'not-in-jwks' : kid, typ: 'JWT' })
      .sign(key);
  }

  return {
    url: origin,
    issuer,
    clientId,
    clientSecret,
    requests,
    nextLogin(next) {
      user = { ...user, ...next };
    },
    misbehave(next) {
      misbehaviour = { ...misbehaviour, ...next };
    },
    reset() {
      user = { ...DEFAULT_USER };
      misbehaviour = {};
      requests.length = 0;
    },
    async authorize(authorizationUrl) {
      const published = new URL(authorizationUrl);
      const target = new URL(`${published.pathname}${published.search}`, origin);
      const response = await fetch(target, { redirect: 'manual' });
      const location = response.headers.get('location');
      if (response.status !== 302 || !location) {
        throw new Error(`fake Google did not redirect back (${response.status})`);
      }
      return location;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
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
