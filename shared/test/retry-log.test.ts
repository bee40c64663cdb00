import { describe, expect, it } from '@jest/globals';
import { describeCause, retryLog } from '../src/index.js';

function recorder() {
  const lines: { level: string; obj: Record<string, unknown>; msg: string }[] = [];
  const logger = {
    debug: (obj: object, msg: string) => lines.push({ level: 'debug', obj: { ...obj }, msg }),
    warn: (obj: object, msg: string) => lines.push({ level: 'warn', obj: { ...obj }, msg }),
  };
  return { lines, logger };
}

const refused = new TypeError('fetch failed', {
  cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4001'), { code: 'ECONNREFUSED' }),
});

describe('retryLog', () => {
  it('when a retry fails during the start-up grace, then it logs at debug with its cause', () => {
    const { lines, logger } = recorder();
    let now = 0;
    const log = retryLog({ logger, now: () => now, graceMs: 10_000 });

    now = 9_000;
    log.failed({ jwks_url: 'u' }, 'JWKS fetch failed', refused);

    expect(lines).toEqual([
      {
        level: 'debug',
        obj: { jwks_url: 'u', cause: 'fetch failed: connect ECONNREFUSED 127.0.0.1:4001' },
        msg: 'JWKS fetch failed (still starting; retrying)',
      },
    ]);
  });

  it('when failures go on after the grace, then one warn per interval carries the count of the rest', () => {
    const { lines, logger } = recorder();
    let now = 0;
    const log = retryLog({ logger, now: () => now, graceMs: 1_000, intervalMs: 60_000 });

    for (now = 2_000; now < 2_000 + 121_000; now += 1_000)
      log.failed({}, 'JWKS fetch failed', refused);

    const warns = lines.filter((line) => line.level === 'warn');
    expect(warns.map((line) => [line.msg, line.obj.failures])).toEqual([
      ['JWKS fetch failed', undefined],
      ['JWKS fetch failed (60 times since the last report)', 60],
      ['JWKS fetch failed (60 times since the last report)', 60],
    ]);
    expect(warns[0]!.obj.cause).toBe('fetch failed: connect ECONNREFUSED 127.0.0.1:4001');
  });

  it('when an attempt succeeds, then the next failure warns at once', () => {
    const { lines, logger } = recorder();
    let now = 5_000;
    const log = retryLog({ logger, now: () => now, graceMs: 0, intervalMs: 60_000 });
    log.failed({}, 'down', refused);
    now += 1_000;
    log.succeeded();
    log.failed({}, 'down', refused);

    expect(lines.map((line) => [line.level, line.msg])).toEqual([
      ['warn', 'down'],
      ['warn', 'down'],
    ]);
  });

  it('when the cause is a DOMException, then its name and message are kept, not its constants', () => {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(describeCause(timeout)).toBe('TimeoutError: The operation was aborted due to timeout');
  });
});
