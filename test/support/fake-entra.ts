/**
 * An in-process OpenID provider double standing in for Microsoft Entra ID in tests: per
 * tenant and for the multi-tenant `organizations`/`common` authorities, discovery (the latter
 * with the `{tenantid}` template issuer), an authorization endpoint that approves at once, a
 * token endpoint that checks the code, client secret and PKCE verifier, and one shared key
 * set. id_tokens carry `tid`, `oid`, a pairwise `sub`, an unverified `email` unless
 * `xms_edov` is set, and `groups`/`roles` when given. It can misbehave per test. The
 * endpoints live in fake-entra-routes.ts; it mirrors fake-google.ts, so both are used alike.
 *
 * @example
 * const entra = await startFakeEntra();
 * entra.nextLogin({ tid: FABRIKAM_TENANT, email: 'ada@fabrikam.example', xms_edov: true });
 * entra.misbehave({ tid: CONTOSO_TENANT });   // lasts until changed or reset()
 * const callbackUrl = await entra.authorize(authorizationUrl);
 * await entra.close();
 */
import { fakeEntraRoutes } from './fake-entra-routes.js';
import {
  DEFAULT_ENTRA_USER,
  type EntraMisbehaviour,
  type FakeEntraAccounts,
  type FakeEntra,
  type FakeEntraUser,
} from './fake-entra-types.js';
import { createFakeIdTokenSigner } from './fake-id-token-signer.js';
import { startLoopbackServer } from './loopback-server.js';

export type { EntraMisbehaviour, FakeEntra, FakeEntraUser } from './fake-entra-types.js';
export { CONTOSO_TENANT, FABRIKAM_TENANT } from './fake-entra-types.js';

export async function startFakeEntra(
  options: {
    clientId?: string;
    clientSecret?: string;
    /** Publish this origin (e.g. https://login.microsoftonline.com) while serving locally. */
    origin?: string;
    now?: () => number;
  } = {},
): Promise<FakeEntra> {
  const clientId = options.clientId ?? 'fake-entra-client';
  const clientSecret = options.clientSecret ?? 'fake-entra-secret';
  let user: FakeEntraUser = { ...DEFAULT_ENTRA_USER };
  let misbehaviour: EntraMisbehaviour = {};
  const requests: string[] = [];
  const accounts: FakeEntraAccounts = { byOid: new Map(), refreshTokens: new Map() };

  // As in fake-google.ts: the origin is known only once the server listens, and nobody can
  // send a request before this function returns it, so the handler is attached afterwards.
  const { server, url, close } = await startLoopbackServer();
  const origin = options.origin ?? url;
  const handle = fakeEntraRoutes({
    origin,
    clientId,
    clientSecret,
    signer: await createFakeIdTokenSigner({ kid: 'fake-entra-1', clientSecret }),
    now: options.now ?? Date.now,
    accounts,
    current: () => ({ user, misbehaviour }),
  });
  server.on('request', (req, res) => {
    const requested = new URL(req.url ?? '/', 'http://fake');
    requests.push(requested.pathname);
    if (misbehaviour.down) {
      req.socket.destroy();
      return;
    }
    handle(req, res, requested);
  });
  const tenantIssuer = (tenant: string) => `${origin}/${tenant}/v2.0`;

  return {
    url,
    origin,
    issuer: tenantIssuer(DEFAULT_ENTRA_USER.tid),
    organizationsIssuer: tenantIssuer('organizations'),
    clientId,
    clientSecret,
    requests,
    tenantIssuer,
    nextLogin(next) {
      user = { ...user, ...next };
    },
    setMembership(oid, membership) {
      const account = accounts.byOid.get(oid);
      if (account) accounts.byOid.set(oid, { ...account, ...membership });
    },
    revokeRefreshTokens(oid) {
      for (const [token, held] of accounts.refreshTokens) {
        if (held.oid === oid) accounts.refreshTokens.delete(token);
      }
    },
    misbehave(next) {
      misbehaviour = { ...misbehaviour, ...next };
    },
    reset() {
      user = { ...DEFAULT_ENTRA_USER };
      misbehaviour = {};
      requests.length = 0;
    },
    async authorize(authorizationUrl) {
      const published = new URL(authorizationUrl);
      const target = new URL(`${published.pathname}${published.search}`, url);
      const response = await fetch(target, { redirect: 'manual' });
      const location = response.headers.get('location');
      if (response.status !== 302 || !location) {
        throw new Error(`fake Entra did not redirect back (${response.status})`);
      }
      return location;
    },
    close,
  };
}
