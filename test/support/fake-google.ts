/**
 * An in-process OpenID provider double standing in for Google in tests: discovery, an
 * authorization endpoint that approves at once, a token endpoint that checks the code, client
 * secret, redirect URI and PKCE verifier, a JWKS, and userinfo. It can misbehave per test.
 * The endpoints live in fake-google-routes.ts, the id_tokens in fake-google-id-tokens.ts.
 *
 * @example
 * const google = await startFakeGoogle({ clientId: 'client', clientSecret: 'secret' });
 * google.nextLogin({ email: 'ada@example.com', hd: 'example.com' });
 * google.misbehave({ nonce: 'wrong' });      // lasts until changed or reset()
 * google.setClaims(sub, { groups: [] });     // what a refreshed id_token carries from now on
 * const callbackUrl = await google.authorize(locationFromLogin);
 * await google.close();
 */
import { createFakeGoogleIdTokens } from './fake-google-id-tokens.js';
import { fakeGoogleRoutes } from './fake-google-routes.js';
import {
  DEFAULT_USER,
  type FakeGoogle,
  type FakeGoogleUser,
  type Misbehaviour,
} from './fake-google-types.js';
import { startLoopbackServer } from './loopback-server.js';

export type { FakeGoogle, FakeGoogleUser, Misbehaviour } from './fake-google-types.js';

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
  let user: FakeGoogleUser = { ...DEFAULT_USER };
  let misbehaviour: Misbehaviour = {};
  const requests: string[] = [];
  const accounts = {
    bySub: new Map<string, FakeGoogleUser>(),
    refreshTokens: new Map<string, string>(),
  };

  // The issuer may be the server's own origin, known only once it listens; nobody can send
  // a request before this function returns the url, so the handler is attached afterwards.
  const { server, url: origin, close } = await startLoopbackServer();
  const issuer = options.issuer ?? origin;
  const handle = fakeGoogleRoutes({
    issuer,
    clientId,
    clientSecret,
    idTokens: await createFakeGoogleIdTokens({
      issuer,
      clientSecret,
      now: options.now ?? Date.now,
    }),
    accounts,
    current: () => ({ user, misbehaviour }),
  });
  server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push(url.pathname);
    if (misbehaviour.down) {
      req.socket.destroy();
      return;
    }
    handle(req, res, url);
  });

  return {
    url: origin,
    issuer,
    clientId,
    clientSecret,
    requests,
    nextLogin(next) {
      user = { ...user, ...next };
    },
    setClaims(sub, claims) {
      const account = accounts.bySub.get(sub);
      if (account) accounts.bySub.set(sub, { ...account, claims: { ...claims } });
    },
    revokeRefreshTokens(sub) {
      for (const [token, owner] of accounts.refreshTokens) {
        if (owner === sub) accounts.refreshTokens.delete(token);
      }
    },
    refreshTokensOf: (sub) =>
      [...accounts.refreshTokens].filter(([, owner]) => owner === sub).map(([token]) => token),
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
    close,
  };
}
