import { describe, expect, it } from '@jest/globals';
import { keyLifecycle } from '../../src/keys/key-lifecycle.js';

const MIN = 60_000;
const retainMs = 11 * MIN;
const first = { kid: 'a', createdAt: 0, activatesAt: 0 };
const second = { kid: 'b', createdAt: 100 * MIN, activatesAt: 115 * MIN };

const states = (at: number) =>
  Object.fromEntries(keyLifecycle([second, first], at, retainMs).map((s) => [s.kid, s.state]));

describe('key lifecycle', () => {
  it('when only one key has activated, then it is active and the new one is next', () => {
    expect(states(114 * MIN)).toEqual({ a: 'active', b: 'next' });
  });

  it('when the new key activates, then it signs and the old one is retired', () => {
    expect(states(115 * MIN)).toEqual({ a: 'retired', b: 'active' });
    const old = keyLifecycle([first, second], 115 * MIN, retainMs)[0];
    expect(old.retiredAt).toBe(115 * MIN);
    expect(old.unpublishAt).toBe(126 * MIN);
  });

  it('when the retired key outlives every token it signed, then it is expired', () => {
    expect(states(126 * MIN - 1)).toEqual({ a: 'retired', b: 'active' });
    expect(states(126 * MIN)).toEqual({ a: 'expired', b: 'active' });
  });

  it('when no key has activated yet, then nothing is active', () => {
    expect(keyLifecycle([second], 0, retainMs).map((s) => s.state)).toEqual(['next']);
  });
});
