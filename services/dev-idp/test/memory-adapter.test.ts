import { describe, expect, it } from '@jest/globals';
import { createMemoryAdapter } from '../src/provider/memory-adapter.js';

describe('in-memory provider storage', () => {
  it('when an entry outlives its expiry on the injected clock, then it is gone', async () => {
    let now = 1_000_000;
    const adapter = createMemoryAdapter(() => now)('AuthorizationCode');
    await adapter.upsert('code-1', { jti: 'code-1' }, 60);
    expect(await adapter.find('code-1')).toMatchObject({ jti: 'code-1' });
    now += 60_000;
    expect(await adapter.find('code-1')).toBeUndefined();
  });

  it('when a grant is revoked, then every token issued under it is gone, in any model', async () => {
    const factory = createMemoryAdapter(() => 0);
    const codes = factory('AuthorizationCode');
    const tokens = factory('AccessToken');
    await codes.upsert('c', { grantId: 'g1' }, 60);
    await tokens.upsert('t', { grantId: 'g1' }, 60);
    await tokens.upsert('other', { grantId: 'g2' }, 60);
    await tokens.revokeByGrantId('g1');
    expect(await codes.find('c')).toBeUndefined();
    expect(await tokens.find('t')).toBeUndefined();
    expect(await tokens.find('other')).toBeDefined();
  });

  it('when a code is consumed, then it is marked with the time of consumption', async () => {
    const adapter = createMemoryAdapter(() => 5_000)('AuthorizationCode');
    await adapter.upsert('c', {}, 60);
    await adapter.consume('c');
    expect(await adapter.find('c')).toMatchObject({ consumed: 5 });
  });

  it('when a session is stored, then it is found by its uid, and models do not see each other', async () => {
    const factory = createMemoryAdapter(() => 0);
    await factory('Session').upsert('s1', { uid: 'u1' }, 60);
    expect(await factory('Session').findByUid('u1')).toMatchObject({ uid: 'u1' });
    expect(await factory('Interaction').find('s1')).toBeUndefined();
  });
});
