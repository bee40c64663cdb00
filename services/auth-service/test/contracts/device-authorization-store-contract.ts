import { describe, expect, it, jest } from '@jest/globals';
import type {
  DeviceAuthorizationStore,
  NewDeviceAuthorization,
} from '../../src/oauth/device/device-authorization-store.js';
import type { OpenAdapter } from './open-adapter.js';

const T0 = Date.UTC(2026, 0, 1);
const authorization = (
  overrides: Partial<NewDeviceAuthorization> = {},
): NewDeviceAuthorization => ({
  deviceCodeHash: 'hash-1',
  userCode: 'BCDFGHJK',
  clientId: 'gatehouse-cli',
  scope: 'api',
  interval: 5,
  createdAt: T0,
  expiresAt: T0 + 600_000,
  ...overrides,
});

/**
 * What every DeviceAuthorizationStore adapter promises (device/device-authorization-store.ts):
 * a user code is held by one pending request, every transition is conditional (decided once,
 * consumed once, nothing after expiry), polls are recorded, expired rows are purged. Run it
 * from a *.test.ts file.
 */
export function deviceAuthorizationStoreContract(
  name: string,
  open: OpenAdapter<DeviceAuthorizationStore>,
): void {
  describe(`DeviceAuthorizationStore contract (${name})`, () => {
    const withStore = async (test: (store: DeviceAuthorizationStore) => Promise<void>) => {
      const { store, close } = await open();
      try {
        await test(store);
      } finally {
        await close();
      }
    };

    it('when created, then it is found by device code as pending, and by user code until it expires', () =>
      withStore(async (devices) => {
        expect(await devices.create(authorization())).toBe(true);
        const stored = {
          ...authorization(),
          status: 'pending',
          userId: null,
          lastPolledAt: null,
        };
        expect(await devices.findByDeviceCode('hash-1')).toEqual(stored);
        expect(await devices.findPending('BCDFGHJK', T0 + 1)).toEqual(stored);
        expect(await devices.findPending('BCDFGHJK', T0 + 600_000)).toBeUndefined();
        expect(await devices.findPending('ZZZZZZZZ', T0)).toBeUndefined();
        expect(await devices.findByDeviceCode('unknown')).toBeUndefined();
      }));

    it('when a user code is taken, then create is false and the first request is untouched', () =>
      withStore(async (devices) => {
        expect(await devices.create(authorization())).toBe(true);
        expect(
          await devices.create(authorization({ deviceCodeHash: 'hash-2', scope: 'other' })),
        ).toBe(false);
        expect(await devices.findByDeviceCode('hash-2')).toBeUndefined();
        expect((await devices.findPending('BCDFGHJK', T0))?.scope).toBe('api');
      }));

    it('when decided, then only once, only while pending and unexpired, and it records who', () =>
      withStore(async (devices) => {
        await devices.create(authorization());
        await devices.create(authorization({ deviceCodeHash: 'hash-2', userCode: 'LMNPQRST' }));
        expect(await devices.decide('LMNPQRST', 'approved', 'u1', T0 + 600_000)).toBe(false);
        expect(await devices.decide('BCDFGHJK', 'approved', 'u1', T0 + 1)).toBe(true);
        expect(await devices.decide('BCDFGHJK', 'denied', 'u2', T0 + 2)).toBe(false);
        expect(await devices.findByDeviceCode('hash-1')).toMatchObject({
          status: 'approved',
          userId: 'u1',
        });
        expect(await devices.findPending('BCDFGHJK', T0 + 3)).toBeUndefined();
        // Refused only because it had expired at that time: before, it is still pending.
        expect(await devices.decide('LMNPQRST', 'denied', 'u2', T0 + 4)).toBe(true);
        expect(await devices.decide('NOSUCHCD', 'denied', 'u2', T0)).toBe(false);
      }));

    it('when denied, then it cannot be consumed', () =>
      withStore(async (devices) => {
        await devices.create(authorization());
        expect(await devices.decide('BCDFGHJK', 'denied', 'u1', T0)).toBe(true);
        expect(await devices.findByDeviceCode('hash-1')).toMatchObject({ status: 'denied' });
        expect(await devices.consume('hash-1')).toBe(false);
      }));

    it('when consumed, then exactly once and only after approval', () =>
      withStore(async (devices) => {
        await devices.create(authorization());
        expect(await devices.consume('hash-1')).toBe(false);
        await devices.decide('BCDFGHJK', 'approved', 'u1', T0);
        const attempts = await Promise.all([devices.consume('hash-1'), devices.consume('hash-1')]);
        expect(attempts.sort()).toEqual([false, true]);
        expect(await devices.findByDeviceCode('hash-1')).toMatchObject({ status: 'used' });
        expect(await devices.consume('unknown')).toBe(false);
      }));

    it("when a user's approvals are ended, then only their approved, unredeemed ones become denied", () =>
      withStore(async (devices) => {
        const codes = ['BCDFGHJK', 'LMNPQRST', 'VWXZBCDF', 'GHJKLMNP'];
        for (const [i, userCode] of codes.entries()) {
          await devices.create(authorization({ deviceCodeHash: `hash-${i}`, userCode }));
        }
        await devices.decide('BCDFGHJK', 'approved', 'u1', T0);
        await devices.decide('LMNPQRST', 'approved', 'u1', T0);
        await devices.consume('hash-1');
        await devices.decide('VWXZBCDF', 'approved', 'u2', T0);
        expect(await devices.endApprovedOfUser('u1')).toBe(1);
        expect(await devices.findByDeviceCode('hash-0')).toMatchObject({ status: 'denied' });
        expect(await devices.consume('hash-0')).toBe(false);
        expect(await devices.findByDeviceCode('hash-1')).toMatchObject({ status: 'used' });
        expect(await devices.findByDeviceCode('hash-2')).toMatchObject({ status: 'approved' });
        expect(await devices.findByDeviceCode('hash-3')).toMatchObject({ status: 'pending' });
        expect(await devices.endApprovedOfUser('nobody')).toBe(0);
      }));

    it('when a poll is judged to count, then its time and interval are kept, and the authorization as it was comes back', () =>
      withStore(async (devices) => {
        await devices.create(authorization());
        const seen: unknown[] = [];
        const before = await devices.poll('hash-1', T0 + 5_000, (found) => {
          seen.push(found);
          return 10;
        });
        expect(before).toMatchObject({ lastPolledAt: null, status: 'pending' });
        expect(seen).toEqual([before]);
        expect(await devices.findByDeviceCode('hash-1')).toMatchObject({
          lastPolledAt: T0 + 5_000,
          interval: 10,
          status: 'pending',
        });
      }));

    it('when a poll is judged not to count, or the code is unknown, then nothing is recorded', () =>
      withStore(async (devices) => {
        await devices.create(authorization());
        const untouched = await devices.findByDeviceCode('hash-1');
        expect(await devices.poll('hash-1', T0 + 5_000, () => undefined)).toEqual(untouched);
        expect(await devices.findByDeviceCode('hash-1')).toEqual(untouched);
        const judge = jest.fn(() => 10);
        expect(await devices.poll('hash-unknown', T0 + 5_000, judge)).toBeUndefined();
        expect(judge).not.toHaveBeenCalled();
      }));

    it('when purging, then only authorizations expired by then go', () =>
      withStore(async (devices) => {
        await devices.create(authorization());
        await devices.create(
          authorization({
            deviceCodeHash: 'hash-2',
            userCode: 'LMNPQRST',
            expiresAt: T0 + 900_000,
          }),
        );
        expect(await devices.purgeExpired(T0 + 599_999)).toBe(0);
        expect(await devices.purgeExpired(T0 + 600_000)).toBe(1);
        expect(await devices.findByDeviceCode('hash-1')).toBeUndefined();
        expect(await devices.findByDeviceCode('hash-2')).toBeDefined();
        // The user code of a purged request is free again.
        expect(await devices.create(authorization({ deviceCodeHash: 'hash-3' }))).toBe(true);
      }));
  });
}
