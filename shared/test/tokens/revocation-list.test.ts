import { describe, expect, it } from '@jest/globals';
import { createRevocationList } from '../../src/tokens/revocation-list.js';

const token = (iat: number, extra: { sub?: string; sid?: string; jti?: string } = {}) => ({
  sub: 'u',
  jti: 'j',
  ...extra,
  iat,
});

describe('the in-memory revocation list', () => {
  it('when an entry names a token issued at or before it, then the token is revoked; one issued after is not', () => {
    const list = createRevocationList(10);
    list.add({ sub: 'u', at: 100, exp: 800 });
    expect(list.isRevoked(token(99), 150)).toBe(true);
    expect(list.isRevoked(token(100), 150)).toBe(true);
    expect(list.isRevoked(token(101), 150)).toBe(false);
    expect(list.isRevoked(token(50, { sub: 'other' }), 150)).toBe(false);
  });

  it('when the same id comes twice, then the later time counts and the size stays one', () => {
    const list = createRevocationList(10);
    list.add({ sid: 's', at: 200, exp: 900 });
    list.add({ sid: 's', at: 100, exp: 800 });
    expect(list.size).toBe(1);
    expect(list.isRevoked(token(150, { sid: 's' }), 160)).toBe(true);
  });

  it('when entries pass their exp, then a sweep drops them', () => {
    const list = createRevocationList(10);
    list.add({ jti: 'j', at: 100, exp: 200 });
    list.add({ sid: 's', at: 100, exp: 300 });
    list.sweep(200);
    expect(list.size).toBe(1);
    expect(list.isRevoked(token(50), 200)).toBe(false);
  });

  it('when more entries arrive than the cap, then memory stays at the cap and tokens issued before the evicted ones are refused until those expire', () => {
    const list = createRevocationList(100);
    for (let i = 0; i < 10_000; i++) list.add({ sid: `s${i}`, at: 1000 + i, exp: 2000 + i });
    expect(list.size).toBe(100);
    expect(list.watermark).toEqual({ at: 1000 + 9899, until: 2000 + 9899 });
    expect(list.isRevoked(token(1000, { sub: 'anyone' }), 1500)).toBe(true);
    expect(list.isRevoked(token(10_900, { sub: 'anyone' }), 1500)).toBe(false);
    list.sweep(2000 + 9899);
    expect(list.watermark).toBeUndefined();
    expect(list.isRevoked(token(1000, { sub: 'anyone' }), 12_000)).toBe(false);
  });

  it('when a grace is given, then entries and the watermark are held that long past their exp', () => {
    const list = createRevocationList(1, 30);
    list.add({ jti: 'old', at: 100, exp: 200 });
    list.add({ jti: 'j', at: 100, exp: 200 });
    expect(list.watermark).toEqual({ at: 100, until: 200 });
    list.sweep(229);
    expect(list.isRevoked(token(50), 229)).toBe(true);
    expect(list.isRevoked(token(50, { jti: 'other' }), 229)).toBe(true);
    list.sweep(230);
    expect(list.size).toBe(0);
    expect(list.watermark).toBeUndefined();
    expect(list.isRevoked(token(50), 230)).toBe(false);
  });
});
