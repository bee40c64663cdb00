import { describe, expect, it } from '@jest/globals';
import { describeCause, outageLog, retryLog } from '../src/index.js';

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

describe('outageLog', () => {
  it('when a dependency fails before it has ever answered, within the grace, then the outage and its end log at debug', () => {
    const { lines, logger } = recorder();
    let now = 0;
    const outage = outageLog({ logger, now: () => now, graceMs: 10_000 });

    outage.down({ url: 'u' }, 'feed unreachable');
    now = 2_000;
    outage.down({ url: 'u' }, 'feed unreachable');
    outage.up({ url: 'u' }, 'feed reachable again');

    expect(lines).toEqual([
      { level: 'debug', obj: { url: 'u' }, msg: 'feed unreachable (still starting; retrying)' },
      { level: 'debug', obj: { url: 'u' }, msg: 'feed reachable again' },
    ]);
  });

  it('when it fails after it has answered, then the start and the end of the outage each warn once', () => {
    const { lines, logger } = recorder();
    const outage = outageLog({ logger, now: () => 0, graceMs: 10_000 });

    outage.up({}, 'feed reachable again');
    outage.down({}, 'feed unreachable');
    outage.down({}, 'feed unreachable');
    outage.up({}, 'feed reachable again');
    outage.up({}, 'feed reachable again');

    expect(lines.map(({ level, msg }) => `${level} ${msg}`)).toEqual([
      'warn feed unreachable',
      'warn feed reachable again',
    ]);
  });

  it('when it has never answered and the grace is over, then the outage escalates to one warn', () => {
    const { lines, logger } = recorder();
    let now = 0;
    const outage = outageLog({ logger, now: () => now, graceMs: 10_000 });

    outage.down({}, 'feed unreachable');
    now = 10_000;
    outage.down({}, 'feed unreachable');
    outage.down({}, 'feed unreachable');

    expect(lines.map(({ level, msg }) => `${level} ${msg}`)).toEqual([
      'debug feed unreachable (still starting; retrying)',
      'warn feed unreachable',
    ]);
  });
});
