import { describe, expect, it } from '@jest/globals';
import { createReadiness } from '../src/index.js';

describe('createReadiness', () => {
  it('when every check passes, then it is ready', async () => {
    const readiness = createReadiness({ a: async () => {}, b: async () => {} });
    await expect(readiness()).resolves.toEqual({
      ready: true,
      checks: { a: { ready: true }, b: { ready: true } },
    });
  });

  it('when details are given, then they are reported and never decide readiness', async () => {
    const readiness = createReadiness({ a: async () => {} }, 1000, () => ({
      revocations: { current: false, error: 'connection refused' },
    }));
    await expect(readiness()).resolves.toEqual({
      ready: true,
      checks: { a: { ready: true } },
      details: { revocations: { current: false, error: 'connection refused' } },
    });
  });

  it('when a check fails, then it is unready and names the failure', async () => {
    const readiness = createReadiness({
      ok: async () => {},
      jwks: async () => {
        throw new Error('connection refused');
      },
    });
    const report = await readiness();
    expect(report.ready).toBe(false);
    expect(report.checks.jwks).toEqual({ ready: false, error: 'connection refused' });
  });

  it('when a check hangs, then it times out and its signal is aborted', async () => {
    let aborted = false;
    const readiness = createReadiness(
      {
        hang: (signal) =>
          new Promise<void>(() => {
            signal.addEventListener('abort', () => {
              aborted = true;
            });
          }),
      },
      50,
    );
    const report = await readiness();
    expect(report.checks.hang).toEqual({ ready: false, error: 'no answer within 50 ms' });
    expect(aborted).toBe(true);
  });
});
