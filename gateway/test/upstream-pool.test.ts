import { describe, expect, it } from '@jest/globals';
import { silentLogger } from '@gatehouse/shared';
import { createUpstreamPool } from '../src/proxy/upstream-pool.js';

function pool(origins: string[], clock = { now: 0 }) {
  const created = createUpstreamPool({
    upstream: 'api-service',
    origins,
    cooldownMs: 1_000,
    now: () => clock.now,
    logger: silentLogger(),
  });
  return {
    pool: created,
    clock,
    picks: (n: number) => Array.from({ length: n }, () => created.pick().origin),
  };
}

describe('upstream pool', () => {
  it('when every replica is up, then picks go round robin', () => {
    const { picks } = pool(['http://a', 'http://b', 'http://c']);
    expect(picks(6)).toEqual([
      'http://a',
      'http://b',
      'http://c',
      'http://a',
      'http://b',
      'http://c',
    ]);
  });

  it('when a replica is marked down, then it is skipped until the cooldown has passed', () => {
    const { pool: p, clock, picks } = pool(['http://a', 'http://b']);
    p.markDown(p.members[0]!, 'ECONNREFUSED');
    expect(picks(3)).toEqual(['http://b', 'http://b', 'http://b']);
    clock.now += 999;
    expect(picks(1)).toEqual(['http://b']);
    clock.now += 1;
    expect(new Set(picks(2))).toEqual(new Set(['http://a', 'http://b']));
  });

  it('when a retry avoids the replica that failed, then another is chosen, the avoided one only if it is the last one up', () => {
    const { pool: p } = pool(['http://a', 'http://b', 'http://c']);
    const [a, b, c] = [p.members[0]!, p.members[1]!, p.members[2]!];
    expect(p.pick(a)).not.toBe(a);
    p.markDown(b, 'ECONNREFUSED');
    p.markDown(c, 'ECONNREFUSED');
    expect(p.pick(a)).toBe(a);
  });

  it('when every replica is down, then one is still chosen rather than refusing the request', () => {
    const { pool: p } = pool(['http://a', 'http://b']);
    for (const member of p.members) p.markDown(member, 'ECONNREFUSED');
    expect(p.members).toContain(p.pick());
    expect(p.pick(p.members[0])).toBe(p.members[1]);
  });

  it('when a replica is marked up, then it is back at once, before its cooldown ends', () => {
    const { pool: p, picks } = pool(['http://a', 'http://b']);
    p.markDown(p.members[0]!, 'not ready');
    p.markUp(p.members[0]!);
    expect(new Set(picks(2))).toEqual(new Set(['http://a', 'http://b']));
    expect(p.members[0]!.downUntil).toBe(0);
  });

  it('when there is one origin, then it is always picked and never taken out', () => {
    const { pool: p, picks } = pool(['http://only']);
    p.markDown(p.members[0]!, 'ECONNREFUSED');
    expect(picks(2)).toEqual(['http://only', 'http://only']);
    expect(p.members[0]!.downUntil).toBe(0);
  });
});
