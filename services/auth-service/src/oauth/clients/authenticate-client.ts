import { HttpError, type Logger } from '@gatehouse/shared';
import { secretMatches } from './client-secret.js';
import type { Client, ClientRegistry, ClientSecretHashes, GrantType } from './client.js';
import type { CounterStore } from '../../limits/counter-store.js';
import { createFailureBudget, type FailureBudget } from '../../limits/failure-budget.js';
import { createMemoryCounterStore } from '../../limits/memory-counter-store.js';
import { oauthError } from '../../http/oauth-error.js';
import { presentedCredentials, type PresentedCredentials } from './presented-credentials.js';

/** The realm of the Basic challenge sent with a failed Basic authentication. */
export const CLIENT_AUTH_REALM = 'gatehouse';

/** Wrong client secrets tolerated per window from one client IP. */
export interface ClientAuthLimits {
  perIp: number;
  windowMs: number;
}

export const DEFAULT_CLIENT_AUTH_LIMITS: ClientAuthLimits = {
  perIp: 10,
  windowMs: 10 * 60_000,
};

/** The methods that present a secret (confidential clients): the only thing a request can guess. */
export const SECRET_AUTH_METHODS = ['client_secret_basic', 'client_secret_post'] as const;
/** Every method a client may authenticate with: `none` is a public client's (client_id only). */
export const CLIENT_AUTH_METHODS = ['none', ...SECRET_AUTH_METHODS] as const;
const SECRET_METHODS: ReadonlySet<string> = new Set(SECRET_AUTH_METHODS);

/** The parts of an OAuth client's request that name and authenticate the client. */
export interface ClientRequest {
  readonly form: URLSearchParams;
  readonly authorization: string | undefined;
  readonly ip: string;
  readonly log: Logger;
}

/** What the endpoint needs of the client beyond being who it says. */
export interface ClientRequirement {
  /** The grant the client must be registered for (400 `unauthorized_client` otherwise). */
  readonly grantType?: GrantType;
  /** Only a confidential client may call (introspection). */
  readonly confidential?: boolean;
}

/**
 * Client authentication, shared by the token, device authorization, revocation and
 * introspection endpoints. Enforces:
 * - one method per request (presented-credentials.ts): `client_secret_basic`,
 *   `client_secret_post`, or `none` with `client_id` alone for public clients;
 * - a confidential client must present its secret (current, or the previous one during its
 *   rotation overlap), compared in constant time; a public client must not present one;
 * - every failure is 401 `invalid_client` (RFC 6749 section 5.2), with
 *   `WWW-Authenticate: Basic realm="gatehouse"` when the Authorization header was used, and
 *   an audit line at warn with `client_id`, `ip`, `method` and `reason` (never the secret);
 * - a wrong secret for a confidential client (a guess) spends the budget of the address it
 *   came from (DEFAULT_CLIENT_AUTH_LIMITS, kept in `counters`, which may count across
 *   replicas); once spent, requests from that address that present a secret are 429
 *   `rate_limited` until the window ends, right secret or not. Nothing else spends it: a
 *   public client has no secret to guess, an unknown client id none to find, so counting
 *   those would buy nothing but a way to lock others out. And nothing is keyed per client:
 *   a per-client budget let strangers switch a client off for everyone (issue 20, item 4),
 *   while a secret of 256 random bits cannot be guessed anyway. Public clients (the CLI)
 *   present no secret and are never refused by this budget, not even from a spent address.
 *
 * @example
 * const authenticate = createClientAuthentication({ clients, now: Date.now });
 * const client = await authenticate(clientRequest(ctx, form), { grantType: 'client_credentials' });
 */
export function createClientAuthentication(options: {
  clients: Pick<ClientRegistry, 'findWithSecretHashes'>;
  now: () => number;
  limits?: ClientAuthLimits;
  /** Where failures are counted (limits/counter-store.ts); process memory by default. */
  counters?: CounterStore;
}) {
  const { clients, now } = options;
  const limits = options.limits ?? DEFAULT_CLIENT_AUTH_LIMITS;
  const counters = options.counters ?? createMemoryCounterStore();
  const byIp = createFailureBudget({
    name: 'client-auth-ip',
    limit: limits.perIp,
    windowMs: limits.windowMs,
    now,
    counters,
  });

  return async (request: ClientRequest, requirement: ClientRequirement = {}): Promise<Client> => {
    const presented = presentedCredentials(request.form, request.authorization);
    const guessing = SECRET_METHODS.has(presented.method);
    if (guessing) await withinBudget(byIp, request.ip);

    const fail = async (reason: string, description: string, guessed = false): Promise<never> => {
      if (guessed) await byIp.fail(request.ip);
      request.log.warn(
        {
          audit: 'client_authentication_failed',
          client_id: presented.clientId,
          ip: request.ip,
          method: presented.method,
          reason,
        },
        'client authentication failed',
      );
      throw invalidClient(description, request.authorization !== undefined);
    };

    if (presented.method === 'malformed_header') {
      return fail(presented.reason, 'the Authorization header must be Basic client credentials');
    }
    const found = await clients.findWithSecretHashes(presented.clientId);
    if (!found) return fail('unknown_client', `unknown client "${presented.clientId}"`);
    const { client, secretHashes } = found;
    if (!authenticated(client, secretHashes, presented)) {
      return fail(
        client.type === 'public' ? 'secret_from_public_client' : secretFailure(presented),
        client.type === 'public'
          ? `client "${client.clientId}" is public and has no secret`
          : `client "${client.clientId}" must authenticate with its secret`,
        client.type === 'confidential' && guessing,
      );
    }
    if (requirement.confidential && client.type !== 'confidential') {
      return fail('public_client', 'this endpoint is for confidential clients');
    }
    if (requirement.grantType !== undefined && !client.grantTypes.includes(requirement.grantType)) {
      throw oauthError(
        'unauthorized_client',
        `client "${client.clientId}" may not use the ${requirement.grantType} grant`,
      );
    }
    return client;
  };

  function authenticated(
    client: Client,
    hashes: ClientSecretHashes | undefined,
    presented: PresentedCredentials,
  ): boolean {
    if (presented.method === 'none') return client.type === 'public';
    if (presented.method === 'malformed_header' || client.type === 'public') return false;
    return hashes !== undefined && secretMatches(presented.secret, hashes, now());
  }
}

export type AuthenticateClient = ReturnType<typeof createClientAuthentication>;

/** 429 `rate_limited` once `budget` is spent for `key`, until its window ends. */
async function withinBudget(budget: FailureBudget, key: string): Promise<void> {
  const retryAfter = await budget.spent(key);
  if (retryAfter === undefined) return;
  throw new HttpError(
    429,
    'rate_limited',
    `too many failed client authentications; try again in ${retryAfter} s`,
    { headers: { 'Retry-After': String(retryAfter) } },
  );
}

function secretFailure(presented: PresentedCredentials): string {
  return presented.method === 'none' ? 'secret_missing' : 'wrong_secret';
}

/** 401 `invalid_client`; the Basic challenge when the client used the Authorization header. */
function invalidClient(description: string, usedHeader: boolean): HttpError {
  return new HttpError(401, 'invalid_client', description, {
    ...(usedHeader
      ? { headers: { 'WWW-Authenticate': `Basic realm="${CLIENT_AUTH_REALM}", charset="UTF-8"` } }
      : {}),
  });
}
