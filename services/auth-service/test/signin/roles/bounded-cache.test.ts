import { describe, expect, it } from '@jest/globals';
import { BoundedCache } from '../../../src/signin/roles/bounded-cache.js';

/** A cache on a clock the test moves. */
function cacheWithClock(options: { maxEntries?: number; ttlMs?: number } = {}) {
  const clock = { now: 1_000_000 };
  const cache = new BoundedCache<string, string>({
    maxEntries: options.maxEntries ?? 3,
    ttlMs: options.ttlMs ?? 1000,
    now: () => clock.now,
  });
  return { cache, clock };
}

describe('BoundedCache', () => {
  it('when a value is stored, then it is returned until its time to live has passed', () => {
    const { cache, clock } = cacheWithClock({ ttlMs: 1000 });
    cache.set('a', 'A');
    clock.now += 999;
    expect(cache.get('a')).toBe('A');
    clock.now += 1;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('when a value is read, then its age does not restart; storing it again does', () => {
    const { cache, clock } = cacheWithClock({ ttlMs: 1000 });
    cache.set('a', 'A');
    clock.now += 600;
    cache.get('a');
    clock.now += 600;
    expect(cache.get('a')).toBeUndefined();
    cache.set('a', 'A2');
    clock.now += 600;
    expect(cache.get('a')).toBe('A2');
  });

  it('when more entries than the bound are stored, then the least recently used is evicted', () => {
    const { cache } = cacheWithClock({ maxEntries: 3 });
    cache.set('a', 'A');
    cache.set('b', 'B');
    cache.set('c', 'C');
    cache.get('a');
    cache.set('d', 'D');
    expect(cache.size).toBe(3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe('A');
    expect(cache.get('c')).toBe('C');
    expect(cache.get('d')).toBe('D');
  });

  it('when a key is stored again, then it holds one entry with the new value', () => {
    const { cache } = cacheWithClock({ maxEntries: 2 });
    cache.set('a', 'A');
    cache.set('a', 'A2');
    cache.set('b', 'B');
    expect(cache.size).toBe(2);
    expect(cache.get('a')).toBe('A2');
  });

  it('when a key is deleted, then it is gone', () => {
    const { cache } = cacheWithClock();
    cache.set('a', 'A');
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
  });

  it('when the bounds are not positive, then construction fails naming the option', () => {
    const now = () => 0;
    expect(() => new BoundedCache({ maxEntries: 0, ttlMs: 1, now })).toThrow('"maxEntries"');
    expect(() => new BoundedCache({ maxEntries: 1.5, ttlMs: 1, now })).toThrow('"maxEntries"');
    expect(() => new BoundedCache({ maxEntries: 1, ttlMs: 0, now })).toThrow('"ttlMs"');
    expect(() => new BoundedCache({ maxEntries: 1, ttlMs: NaN, now })).toThrow('"ttlMs"');
  });
});
