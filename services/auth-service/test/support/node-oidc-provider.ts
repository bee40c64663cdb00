/**
 * node-oidc-provider (the certified OpenID Provider the dev-idp is built on) running in this
 * process as an independent party for interop tests: its own discovery, authorization, token
 * and JWKS endpoints, PKCE, consent and refresh tokens, with nothing of Gatehouse's code in it.
 * The sign-in interactions (login, then consent) are approved by `authorize`, headless.
 *
 * @example
 * const op = await startNodeOidcProvider({ redirectUri });
 * op.setAccount('ada', { email: 'ada@example.com', groups: ['eng-admins'] });
 * op.nextLogin('ada');
 * const callbackUrl = await op.authorize(authorizationUrl);
 * await op.revokeGrants('ada');
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Provider, {
  type Adapter,
  type AdapterPayload,
  type Configuration,
  type InteractionResults,
  type JWK,
} from 'oidc-provider';
import { startLoopbackServer } from '../../../../test/support/loopback-server.js';

export interface OpAccount {
  email: string;
  groups: string[];
}

export interface OpInteraction {
  prompt: string;
  params: Record<string, unknown>;
  missingOIDCScope?: string[];
}

export interface NodeOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  provider: Provider;
  /** The account's claims from now on (findAccount reads them at every token issued). */
  setAccount(sub: string, account: OpAccount): void;
  /** Who the next login interaction signs in. */
  nextLogin(sub: string): void;
  /**
   * A browser at `authorizationUrl`: follows the provider's redirects with its cookies,
   * approves login and consent, and returns the redirect URI it is finally sent to.
   */
  authorize(authorizationUrl: string): Promise<string>;
  /** Each interaction's prompt, its request's parameters and what consent lacked, oldest first. */
  interactions: OpInteraction[];
  /** Grants and refresh tokens the provider holds for `sub`. */
  stored(model: 'Grant' | 'RefreshToken', sub: string): AdapterPayload[];
  /** Destroys every grant of `sub`, as a user removing the app's access would. */
  revokeGrants(sub: string): Promise<void>;
  close(): Promise<void>;
}

const INTERACTION = /^\/interaction\/([\w-]+)$/;

export async function startNodeOidcProvider(options: {
  redirectUri: string;
  /** oidc-provider's `conformIdTokenClaims`; false puts scope claims in the id_token. */
  conformIdTokenClaims?: boolean;
}): Promise<NodeOidcProvider> {
  const clientId = 'corp-client';
  const clientSecret = randomBytes(24).toString('base64url');
  const accounts = new Map<string, OpAccount>();
  const interactions: OpInteraction[] = [];
  let loginAs: string | undefined;
  const store = new Map<string, AdapterPayload>();

  const { server, url: issuer, close } = await startLoopbackServer();

  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const configuration: Configuration = {
    adapter: (model) => memoryAdapter(store, model),
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'op-1', alg: 'RS256' } as JWK] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: ['openid', 'email', 'profile', 'offline_access'],
    // The name and groups ride in the id_token whatever the scopes, as Keycloak's mappers and
    // Okta's groups claim put them; email follows `conformIdTokenClaims`.
    claims: { openid: ['sub', 'name', 'groups'], email: ['email', 'email_verified'] },
    conformIdTokenClaims: options.conformIdTokenClaims ?? false,
    async findAccount(_ctx, sub) {
      if (!accounts.has(sub)) return undefined;
      return {
        accountId: sub,
        async claims() {
          const { email, groups } = accounts.get(sub)!;
          return { sub, name: `Person ${sub}`, email, email_verified: true, groups };
        },
      };
    },
    pkce: { required: () => true },
    // Strict rotation: a refresh token works once; using it again revokes the whole grant.
    rotateRefreshToken: true,
    // Set, so oidc-provider prints no notice about its defaults.
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 60,
      Grant: 14 * 24 * 3600,
      IdToken: 3600,
      Interaction: 600,
      RefreshToken: 14 * 24 * 3600,
      Session: 3600,
    },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  };
  const provider = new Provider(issuer, configuration);
  const callback = provider.callback();

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const uid = INTERACTION.exec(new URL(req.url ?? '/', issuer).pathname)?.[1];
    if (uid === undefined) {
      void callback(req, res);
      return;
    }
    approve(req, res).catch((err: unknown) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });

  /** Answers the interaction's prompt: login as `loginAs`, consent to what is missing. */
  async function approve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    const missing = details.prompt.details.missingOIDCScope as string[] | undefined;
    interactions.push({
      prompt: details.prompt.name,
      params: details.params,
      ...(missing && { missingOIDCScope: missing }),
    });
    let result: InteractionResults;
    if (details.prompt.name === 'login') {
      if (loginAs === undefined) throw new Error('nextLogin was not called');
      result = { login: { accountId: loginAs } };
    } else {
      const grant = details.grantId
        ? (await provider.Grant.find(details.grantId))!
        : new provider.Grant({
            accountId: details.session!.accountId,
            clientId: String(details.params.client_id),
          });
      if (missing) grant.addOIDCScope(missing.join(' '));
      result = { consent: { grantId: await grant.save() } };
    }
    await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: true });
  }

  async function authorize(authorizationUrl: string): Promise<string> {
    // A new browser each time: no provider session carried from an earlier sign-in.
    const jar = new Map<string, string>();
    let url = authorizationUrl;
    for (let hops = 0; hops < 10; hops += 1) {
      if (!url.startsWith(`${issuer}/`)) return url;
      const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
      const res = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
      for (const line of res.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const [name, value] = [
          pair!.slice(0, pair!.indexOf('=')),
          pair!.slice(pair!.indexOf('=') + 1),
        ];
        if (value === '') jar.delete(name);
        else jar.set(name, value);
      }
      const location = res.headers.get('location');
      if (location === null) {
        throw new Error(`the provider answered ${res.status}: ${await res.text()}`);
      }
      await res.body?.cancel();
      url = new URL(location, url).href;
    }
    throw new Error('too many redirects at the provider');
  }

  const stored = (model: 'Grant' | 'RefreshToken', sub: string) =>
    [...store]
      .filter(([key, payload]) => key.startsWith(`${model}:`) && payload.accountId === sub)
      .map(([, payload]) => payload);

  return {
    issuer,
    clientId,
    clientSecret,
    provider,
    setAccount: (sub, account) => void accounts.set(sub, account),
    nextLogin: (sub) => void (loginAs = sub),
    authorize,
    interactions,
    stored,
    async revokeGrants(sub) {
      for (const { jti } of stored('Grant', sub)) {
        await (await provider.Grant.find(jti!))?.destroy();
      }
    },
    close,
  };
}

/** oidc-provider storage in a Map, keyed `Model:id`; enough for one test file's provider. */
function memoryAdapter(store: Map<string, AdapterPayload>, model: string): Adapter {
  const key = (id: string) => `${model}:${id}`;
  return {
    async upsert(id, payload) {
      store.set(key(id), payload);
    },
    async find(id) {
      return store.get(key(id));
    },
    async findByUid(uid) {
      return [...store].find(([k, p]) => k.startsWith(`${model}:`) && p.uid === uid)?.[1];
    },
    async findByUserCode(userCode) {
      return [...store].find(([k, p]) => k.startsWith(`${model}:`) && p.userCode === userCode)?.[1];
    },
    async consume(id) {
      const payload = store.get(key(id));
      if (payload) payload.consumed = Math.floor(Date.now() / 1000);
    },
    async destroy(id) {
      store.delete(key(id));
    },
    async revokeByGrantId(grantId) {
      for (const [k, p] of store) if (p.grantId === grantId) store.delete(k);
    },
  };
}
