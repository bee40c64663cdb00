import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JWTPayload } from 'jose';
import type {
  EntraMisbehaviour,
  FakeEntraAccounts,
  FakeEntraUser,
  IssuedEntraCode,
} from './fake-entra-types.js';
import type { FakeIdTokenSigner } from './fake-id-token-signer.js';

/** Answers one request; never rejects (a failure is a 500). */
export type FakeEntraHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => void;

const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MULTI_TENANT = ['organizations', 'common'];
/** `/<authority>/<rest>`: Entra's paths all start with the tenant or a multi-tenant alias. */
const PATH = /^\/([^/]+)(\/.*)$/;

/**
 * The fake Entra's endpoints under each authority, as login.microsoftonline.com lays them
 * out: a tenant id (its own issuer) or `organizations`/`common` (the `{tenantid}` template
 * issuer). Every authority shares one key set, as Entra's do. Tokens issued at a tenant carry
 * that tenant as `tid` (a member or guest there), at a multi-tenant alias the user's home
 * tenant. The token endpoint checks the single-use code, its authority, the client secret
 * (post or basic), redirect URI and PKCE verifier. An authorization asking `offline_access`
 * gets a refresh token, redeemed (`grant_type=refresh_token`, at the same authority) for an
 * id_token without a nonce that carries the account's groups and roles as they are now; as
 * Entra does, a new refresh token comes back and the old one stays valid until revoked.
 */
export function fakeEntraRoutes(options: {
  origin: string;
  clientId: string;
  clientSecret: string;
  signer: FakeIdTokenSigner;
  now: () => number;
  accounts: FakeEntraAccounts;
  current(): { user: FakeEntraUser; misbehaviour: EntraMisbehaviour };
}): FakeEntraHandler {
  const { origin, clientId, clientSecret, signer, now, accounts, current } = options;
  const codes = new Map<string, IssuedEntraCode>();

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const [, authority = '', rest = ''] = PATH.exec(url.pathname) ?? [];
    if (!TENANT_ID.test(authority) && !MULTI_TENANT.includes(authority)) {
      return send(res, 400, { error: 'invalid_tenant' });
    }
    const base = `${origin}/${authority}`;
    switch (`${req.method} ${rest}`) {
      case 'GET /v2.0/.well-known/openid-configuration':
        return send(res, 200, {
          issuer: `${origin}/${MULTI_TENANT.includes(authority) ? '{tenantid}' : authority}/v2.0`,
          authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
          token_endpoint: `${base}/oauth2/v2.0/token`,
          jwks_uri: `${base}/discovery/v2.0/keys`,
          response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
          subject_types_supported: ['pairwise'],
          id_token_signing_alg_values_supported: ['RS256'],
          scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
          claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nonce', 'tid', 'oid', 'email'],
          tenant_region_scope: null,
        });
      case 'GET /discovery/v2.0/keys':
        if (current().misbehaviour.jwksDown) {
          return send(res, 503, { error: 'temporarily_unavailable' });
        }
        return send(res, 200, signer.jwks);
      case 'GET /oauth2/v2.0/authorize':
        return authorizeEndpoint(res, authority, url.searchParams);
      case 'POST /oauth2/v2.0/token':
        return tokenEndpoint(req, res, authority, new URLSearchParams(await readBody(req)));
      default:
        return send(res, 404, { error: 'not_found' });
    }
  }

  function authorizeEndpoint(res: ServerResponse, authority: string, params: URLSearchParams) {
    const { user, misbehaviour } = current();
    const redirectUri = params.get('redirect_uri');
    if (params.get('client_id') !== clientId || !redirectUri) {
      return send(res, 400, { error: 'unauthorized_client' });
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
        authority,
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
      accounts.byOid.set(user.oid, { ...user });
      back.searchParams.set('code', code);
    }
    res.writeHead(302, { location: back.href }).end();
  }

  async function tokenEndpoint(
    req: IncomingMessage,
    res: ServerResponse,
    authority: string,
    form: URLSearchParams,
  ): Promise<void> {
    const { misbehaviour } = current();
    if (misbehaviour.tokenEndpointDown) return send(res, 503, { error: 'temporarily_unavailable' });
    if (misbehaviour.tokenError) return send(res, 400, { error: misbehaviour.tokenError });
    const client = clientCredentials(req, form);
    const clientKnown = client.id === clientId && client.secret === clientSecret;
    if (form.get('grant_type') === 'refresh_token') {
      if (!clientKnown) return send(res, 401, { error: 'invalid_client' });
      return refreshGrant(res, authority, form, misbehaviour);
    }
    const code = form.get('code') ?? '';
    const issued = codes.get(code);
    codes.delete(code); // single use
    if (!clientKnown) return send(res, 401, { error: 'invalid_client' });
    if (
      form.get('grant_type') !== 'authorization_code' ||
      !issued ||
      issued.authority !== authority ||
      issued.redirectUri !== form.get('redirect_uri')
    ) {
      return send(res, 400, { error: 'invalid_grant' });
    }
    const verifier = form.get('code_verifier');
    if (!issued.codeChallenge || !verifier || s256(verifier) !== issued.codeChallenge) {
      return send(res, 400, { error: 'invalid_grant', error_description: 'PKCE failed' });
    }
    send(res, 200, {
      token_type: 'Bearer',
      scope: 'openid email profile',
      expires_in: 3599,
      access_token: randomBytes(16).toString('base64url'),
      id_token: await signer.sign(idTokenClaims(issued), issued.misbehaviour),
      ...(issued.offline && { refresh_token: issueRefreshToken(authority, issued.user.oid) }),
    });
  }

  function issueRefreshToken(authority: string, oid: string): string {
    const token = `0.entra-rt-${randomBytes(16).toString('base64url')}`;
    accounts.refreshTokens.set(token, { authority, oid });
    return token;
  }

  async function refreshGrant(
    res: ServerResponse,
    authority: string,
    form: URLSearchParams,
    m: EntraMisbehaviour,
  ): Promise<void> {
    const held = accounts.refreshTokens.get(form.get('refresh_token') ?? '');
    const account = held && held.authority === authority && accounts.byOid.get(held.oid);
    if (!account) return send(res, 400, { error: 'invalid_grant' });
    const user = { ...account, oid: m.refreshOid ?? account.oid };
    send(res, 200, {
      token_type: 'Bearer',
      scope: 'openid email profile offline_access',
      expires_in: 3599,
      access_token: randomBytes(16).toString('base64url'),
      refresh_token: issueRefreshToken(authority, account.oid),
      id_token: await signer.sign(
        idTokenClaims({
          authority,
          redirectUri: '',
          nonce: undefined,
          codeChallenge: undefined,
          user,
          misbehaviour: m,
        }),
        m,
      ),
    });
  }

  function idTokenClaims(issued: IssuedEntraCode): JWTPayload {
    const { user, misbehaviour: m } = issued;
    const tenant = TENANT_ID.test(issued.authority) ? issued.authority : user.tid;
    const seconds = Math.floor(now() / 1000);
    const iat = m.expired ? seconds - 7200 : seconds + (m.issuedInFuture ?? 0);
    const optional = (name: string, value: unknown) =>
      value === undefined ? {} : { [name]: value };
    return {
      iss: m.iss ?? `${origin}/${tenant}/v2.0`,
      aud: m.aud ?? clientId,
      ...optional('azp', m.azp),
      sub: user.sub,
      ...(m.omitTid ? {} : { tid: m.tid ?? tenant }),
      ...(m.omitOid ? {} : { oid: user.oid }),
      ...optional('email', user.email),
      ...optional('xms_edov', user.xms_edov),
      ...optional('email_verified', user.email_verified),
      preferred_username: user.preferred_username,
      name: user.name,
      ...optional('groups', user.groups),
      ...optional('roles', user.roles),
      ...(m.omitNonce ? {} : { nonce: m.nonce ?? issued.nonce }),
      iat,
      nbf: iat,
      exp: iat + 3600,
      ver: '2.0',
    };
  }

  return (req, res, url) => {
    route(req, res, url).catch((err: unknown) => send(res, 500, { error: String(err) }));
  };
}

/** client_secret_post or client_secret_basic, as Entra accepts both. */
function clientCredentials(req: IncomingMessage, form: URLSearchParams) {
  const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  if (basic) {
    const [id = '', secret = ''] = Buffer.from(basic, 'base64').toString('utf8').split(':');
    return { id: decodeURIComponent(id), secret: decodeURIComponent(secret) };
  }
  return { id: form.get('client_id'), secret: form.get('client_secret') };
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
