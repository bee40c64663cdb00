import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { startSessionPurge } from '../../src/sessions/session-store.js';

describe('periodic purge', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('when a purge is still running at the next tick, then it is not started twice', async () => {
    let started = 0;
    let finish = () => {};
    const stop = startSessionPurge(
      {
        purgeExpired: () => {
          started += 1;
          return new Promise<void>((resolve) => (finish = resolve));
        },
      },
      1_000,
      () => {},
    );
    await jest.advanceTimersByTimeAsync(3_500);
    expect(started).toBe(1);
    finish();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(started).toBe(2);
    stop();
    finish();
    await jest.advanceTimersByTimeAsync(5_000);
    expect(started).toBe(2);
  });

  it('when a purge fails, then onError gets the error and the next tick purges again', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const stop = startSessionPurge(
      {
        purgeExpired: async () => {
          calls += 1;
          if (calls === 1) throw new Error('database locked');
          return 0;
        },
      },
      1_000,
      (err) => errors.push(err),
    );
    await jest.advanceTimersByTimeAsync(2_000);
    stop();
    expect(calls).toBe(2);
    expect(errors).toEqual([new Error('database locked')]);
  });
});
