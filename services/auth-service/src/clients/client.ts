/** RFC 8628 section 3.4: the device flow's `grant_type`. */
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
/** RFC 6749 section 6. */
export const REFRESH_TOKEN_GRANT = 'refresh_token';
/** Every grant a client may be registered for. */
export const GRANT_TYPES = [DEVICE_CODE_GRANT, REFRESH_TOKEN_GRANT] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

/**
 * A registered OAuth client. Public clients (a CLI, the browser page) hold no secret; the
 * confidential type comes with client authentication.
 */
export interface Client {
  readonly clientId: string;
  readonly name: string;
  readonly type: 'public';
  readonly grantTypes: readonly GrantType[];
  /** Scopes the client may ask for; a request for any other is refused. */
  readonly scopes: readonly string[];
  /** Seconds a refresh token may go unused before it ends. */
  readonly refreshIdleTtl: number;
  /** Seconds a refresh token family (one sign-in) lives however it is used. */
  readonly refreshAbsoluteTtl: number;
  /** Seeded by the service (`gatehouse-cli`, `gatehouse-web`); cannot be removed. */
  readonly builtIn: boolean;
}

/** What `add` takes: everything but the flags the registry owns. */
export type NewClient = Omit<Client, 'builtIn' | 'type'> & { type?: 'public' };

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
