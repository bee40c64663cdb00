import type { ClientRegistry } from '../oauth/clients/client.js';
import type { RefreshTokenStore } from '../oauth/refresh/refresh-token-store.js';
import type { SessionStore } from '../sessions/session-store.js';
import type { User } from '../users/user.js';
import type { UserDirectory } from '../users/user-directory.js';

/** GET /auth/account's body: the user, their identities, sessions and device grants. */
export interface AccountView {
  readonly user: {
    sub: string;
    email: string;
    name: string | null;
    picture: string | null;
    roles: string[];
  };
  readonly identities: {
    provider: string;
    /** The provider's button label (`<ID>_NAME`), or the id of one no longer configured. */
    provider_name: string;
    subject: string;
    email: string | null;
    /** Of the provider this session signed in with. */
    current: boolean;
    linked_at: string;
    last_sign_in_at: string | null;
  }[];
  /** Every configured provider, to link another identity with. */
  readonly providers: { id: string; name: string }[];
  readonly sessions: {
    /** The session's `sid`, never its cookie id. */
    id: string;
    current: boolean;
    created_at: string;
    last_used_at: string;
    ip: string | null;
    user_agent: string | null;
  }[];
  readonly grants: {
    /** The refresh family, the `sid` of the grant's access tokens. */
    id: string;
    client_id: string;
    client_name: string;
    scope: string;
    created_at: string;
    last_used_at: string;
    ip: string | null;
    user_agent: string | null;
  }[];
}

/**
 * What the account page shows of `user`: live browser sessions (the one asking marked
 * `current`) and live device-flow grants, times as ISO 8601.
 *
 * @example
 * ctx.body = await accountView(stores, user, { sid, provider }, now());
 */
export async function accountView(
  stores: {
    directory: Pick<UserDirectory, 'identities'>;
    sessions: Pick<SessionStore, 'listOfUser'>;
    refreshTokens: Pick<RefreshTokenStore, 'listLiveOfUser'>;
    clients: Pick<ClientRegistry, 'find'>;
    providers: readonly { id: string; name: string }[];
  },
  user: User,
  current: { sid: string; provider: string },
  at: number,
): Promise<AccountView> {
  const currentSid = current.sid;
  const sessions = await stores.sessions.listOfUser(user.id);
  const families = await stores.refreshTokens.listLiveOfUser(user.id, at);
  const identities = await stores.directory.identities(user.id);
  const names = new Map(stores.providers.map((provider) => [provider.id, provider.name]));
  return {
    user: {
      sub: user.id,
      email: user.email,
      name: user.name,
      picture: user.picture,
      roles: user.roles,
    },
    identities: identities.map((identity) => ({
      provider: identity.provider,
      provider_name: names.get(identity.provider) ?? identity.provider,
      subject: identity.subject,
      email: identity.email,
      current: identity.provider === current.provider,
      linked_at: iso(identity.linkedAt),
      last_sign_in_at: identity.lastSignInAt === null ? null : iso(identity.lastSignInAt),
    })),
    providers: stores.providers.map(({ id, name }) => ({ id, name })),
    sessions: sessions.map((session) => ({
      id: session.sid,
      current: session.sid === currentSid,
      created_at: iso(session.createdAt),
      last_used_at: iso(session.lastUsedAt),
      ip: session.ip,
      user_agent: session.userAgent,
    })),
    grants: await Promise.all(
      families.map(async (family) => ({
        id: family.id,
        client_id: family.clientId,
        client_name: (await stores.clients.find(family.clientId))?.name ?? family.clientId,
        scope: family.scope,
        created_at: iso(family.createdAt),
        last_used_at: iso(family.lastUsedAt),
        ip: family.lastUsedFrom?.ip ?? null,
        user_agent: family.lastUsedFrom?.userAgent ?? null,
      })),
    ),
  };
}

const iso = (ms: number) => new Date(ms).toISOString();
