/** Where a device authorization stands (RFC 8628 section 3.5 answers follow from it). */
export type DeviceStatus = 'pending' | 'approved' | 'denied' | 'used';

/** One RFC 8628 device authorization request, as stored (the device code only hashed). */
export interface DeviceAuthorization {
  readonly deviceCodeHash: string;
  /** Normalised: 8 letters, no dash. */
  readonly userCode: string;
  readonly clientId: string;
  readonly scope: string;
  readonly status: DeviceStatus;
  /** Who approved or denied it. */
  readonly userId: string | null;
  /** Seconds the client must wait between polls; raised by every `slow_down`. */
  readonly interval: number;
  readonly lastPolledAt: number | null;
  readonly createdAt: number;
  readonly expiresAt: number;
}

export type NewDeviceAuthorization = Pick<
  DeviceAuthorization,
  'deviceCodeHash' | 'userCode' | 'clientId' | 'scope' | 'interval' | 'createdAt' | 'expiresAt'
>;

/**
 * Persistence of device authorizations (one adapter per database,
 * db/sqlite/sqlite-device-authorization-store.ts). Every transition is conditional, so two
 * requests racing on one code cannot both win.
 */
export interface DeviceAuthorizationStore {
  /** False when the user code is taken (the caller draws another). */
  create(authorization: NewDeviceAuthorization): Promise<boolean>;
  findByDeviceCode(deviceCodeHash: string): Promise<DeviceAuthorization | undefined>;
  /** A pending, unexpired authorization with this user code. */
  findPending(userCode: string, now: number): Promise<DeviceAuthorization | undefined>;
  /** pending → approved/denied by `userId`; false when it was no longer pending. */
  decide(
    userCode: string,
    decision: 'approved' | 'denied',
    userId: string,
    now: number,
  ): Promise<boolean>;
  /**
   * A poll of the device code at `at`: reads its authorization, and when `judge` returns an
   * interval for it, records the poll at `at` with that interval in force from now on.
   * Returns the authorization as it was before this poll (undefined for an unknown code).
   * SQLite reads and records in one write transaction; PostgreSQL reads, then updates.
   */
  poll(
    deviceCodeHash: string,
    at: number,
    judge: (authorization: DeviceAuthorization) => number | undefined,
  ): Promise<DeviceAuthorization | undefined>;
  /** approved → used, exactly once; false for a second attempt. */
  consume(deviceCodeHash: string): Promise<boolean>;
  /**
   * approved → denied for every authorization `userId` approved that is not redeemed yet: the
   * user signed out everywhere, or was disabled or removed, so the approval ends with their
   * sessions and grants (the device's next poll is `access_denied`). Returns how many.
   */
  endApprovedOfUser(userId: string): Promise<number>;
  /** Deletes authorizations expired before `now`; returns how many. */
  purgeExpired(now: number): Promise<number>;
}
