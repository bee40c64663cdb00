/** RFC 8628 section 3.4: the device flow's `grant_type`. */
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
/** RFC 6749 section 6. */
export const REFRESH_TOKEN_GRANT = 'refresh_token';
/** RFC 6749 section 4.4: a service acting on its own behalf (confidential clients only). */
export const CLIENT_CREDENTIALS_GRANT = 'client_credentials';
/** Every grant a client may be registered for. */
export const GRANT_TYPES = [
  DEVICE_CODE_GRANT,
  REFRESH_TOKEN_GRANT,
  CLIENT_CREDENTIALS_GRANT,
] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

/**
 * A registered OAuth client. Public clients (a CLI, the browser page) hold no secret and name
 * themselves by `client_id`; confidential ones (services) authenticate with a secret
 * (clients/authenticate-client.ts) and use the client credentials grant.
 */
export interface Client {
  readonly clientId: string;
  readonly name: string;
  readonly type: 'public' | 'confidential';
  readonly grantTypes: readonly GrantType[];
  /** Scopes the client may ask for; a request for any other is refused. */
  readonly scopes: readonly string[];
  /** Seconds a refresh token may go unused before it ends. */
  readonly refreshIdleTtl: number;
  /** Seconds a refresh token family (one sign-in) lives however it is used. */
  readonly refreshAbsoluteTtl: number;
  /** Seeded by the service (`gatehouse-cli`, `gatehouse-web`); cannot be removed. */
  readonly builtIn: boolean;
  /**
   * The `sid` of a confidential client's tokens: its grant, what revocation names. New with
   * every registration, so a client removed and added again never revives old tokens.
   */
  readonly grantId: string | null;
}

/**
 * What `add` takes: everything but the flags the registry owns. A confidential client comes
 * with the hash of its first secret (clients/client-secret.ts) and its grant id.
 */
export type NewClient = Omit<Client, 'builtIn' | 'type' | 'grantId'> &
  ({ type?: 'public' } | { type: 'confidential'; secretHash: string; grantId: string });

/**
 * The secret hashes of a confidential client: the current one, and the one it replaced while
 * its overlap lasts (ms since the epoch; null when there is none).
 */
export interface ClientSecretHashes {
  readonly current: string;
  readonly previous: string | null;
  readonly previousExpiresAt: number | null;
}

/**
 * The client registry: persistence behind one small interface, one adapter per database
 * (db/sqlite/sqlite-client-registry.ts). Routes and grants see only this.
 */
export interface ClientRegistry {
  find(clientId: string): Promise<Client | undefined>;
  /** Every client, ordered by `clientId`. */
  list(): Promise<Client[]>;
  /** Rejects with ClientExistsError when `clientId` is taken. */
  add(client: NewClient, now: number): Promise<Client>;
  /** False when there is no such client; rejects with BuiltInClientError for a built-in one. */
  remove(clientId: string): Promise<boolean>;
  /** A confidential client's secret hashes; undefined for a public or unknown client. */
  secretHashes(clientId: string): Promise<ClientSecretHashes | undefined>;
  /**
   * `find` and `secretHashes` from one read of the client, as client authentication needs
   * both on every request; undefined for an unknown client.
   */
  findWithSecretHashes(
    clientId: string,
  ): Promise<{ client: Client; secretHashes: ClientSecretHashes | undefined } | undefined>;
  /**
   * Makes `secretHash` the current secret; the one it replaces stays valid until
   * `previousExpiresAt` (ms), or ends now when that is null. False when there is no such
   * confidential client.
   */
  replaceSecret(
    clientId: string,
    secretHash: string,
    previousExpiresAt: number | null,
  ): Promise<boolean>;
}

export class ClientExistsError extends Error {
  constructor(readonly clientId: string) {
    super(`client ${clientId} already exists`);
  }
}

export class BuiltInClientError extends Error {
  constructor(readonly clientId: string) {
    super(`client ${clientId} is built in and cannot be removed`);
  }
}
