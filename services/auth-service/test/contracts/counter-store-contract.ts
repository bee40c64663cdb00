import { describe, expect, it } from '@jest/globals';
import type { CounterStore } from '../../src/limits/counter-store.js';
import type { OpenAdapter } from './open-adapter.js';

const MINUTE = 60_000;
const W0 = Date.UTC(2026, 0, 1);

/**
 * What every CounterStore adapter promises (limits/counter-store.ts): counts per key and per
 * fixed window, exact under concurrent increments, never carried into a later window. Run it
 * from a *.test.ts file.
 */
export function counterStoreContract(name: string, open: OpenAdapter<CounterStore>): void {
  describe(`CounterStore contract (${name})`, () => {
    const withStore = async (test: (store: CounterStore) => Promise<void>) => {
      const { store, close } = await open();
      try {
        await test(store);
      } finally {
        await close();
      }
    };

    it('when a key is incremented, then each call resolves to the count so far, and get agrees', () =>
      withStore(async (counters) => {
        expect(await counters.get('rate:a', W0)).toBe(0);
        expect(await counters.increment('rate:a', W0, MINUTE)).toBe(1);
        expect(await counters.increment('rate:a', W0, MINUTE)).toBe(2);
        expect(await counters.increment('rate:a', W0, MINUTE)).toBe(3);
        expect(await counters.get('rate:a', W0)).toBe(3);
      }));

    it('when keys differ, then their counts are independent', () =>
      withStore(async (counters) => {
        await counters.increment('rate:a', W0, MINUTE);
        await counters.increment('rate:a', W0, MINUTE);
        expect(await counters.increment('rate:b', W0, MINUTE)).toBe(1);
        expect(await counters.get('rate:a', W0)).toBe(2);
        expect(await counters.get('guess:a', W0)).toBe(0);
      }));

    it('when the window moves on, then the count starts again at 1 and the old one is not read', () =>
      withStore(async (counters) => {
        await counters.increment('rate:a', W0, MINUTE);
        await counters.increment('rate:a', W0, MINUTE);
        expect(await counters.get('rate:a', W0 + MINUTE)).toBe(0);
        expect(await counters.increment('rate:a', W0 + MINUTE, MINUTE)).toBe(1);
        expect(await counters.get('rate:a', W0 + MINUTE)).toBe(1);
      }));

    it('when increments race, then every one is counted exactly once', () =>
      withStore(async (counters) => {
        const counts = await Promise.all(
          Array.from({ length: 50 }, () => counters.increment('rate:race', W0, MINUTE)),
        );
        expect([...counts].sort((a, b) => a - b)).toEqual(
          Array.from({ length: 50 }, (_, i) => i + 1),
        );
        expect(await counters.get('rate:race', W0)).toBe(50);
      }));
  });
}
