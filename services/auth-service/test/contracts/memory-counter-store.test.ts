import { describe, expect, it } from '@jest/globals';
import { createMemoryCounterStore } from '../../src/limits/memory-counter-store.js';
import { counterStoreContract } from './counter-store-contract.js';

counterStoreContract('memory', async () => ({
  store: createMemoryCounterStore(),
  close: async () => {},
}));

describe('in-memory counters', () => {
  it('when more keys than it tracks are counted, then the least recently counted is dropped', async () => {
    const counters = createMemoryCounterStore({ maxKeys: 2 });
    await counters.increment('a', 0, 60_000);
    await counters.increment('b', 0, 60_000);
    await counters.increment('a', 0, 60_000); // a is now the most recent
    await counters.increment('c', 0, 60_000); // drops b
    expect(await counters.get('a', 0)).toBe(2);
    expect(await counters.get('b', 0)).toBe(0);
    expect(await counters.get('c', 0)).toBe(1);
  });
});
