import { describe, expect, it } from '@jest/globals';
import { settledCursor } from '../../../src/oauth/revocation-feed/settled-cursor.js';

const NOW = 1_000_000;

describe('settledCursor (feeds with several writers)', () => {
  it('when every row read is older than the settle window, then the cursor is the last id', () => {
    const rows = [
      { id: 4, recordedAt: NOW - 9000 },
      { id: 5, recordedAt: NOW - 5000 },
    ];
    expect(settledCursor(rows, 3, NOW, 2000)).toBe(5);
  });

  it('when the newest rows are inside the window, then the cursor stops before them, so an id committed late behind them is still read', () => {
    // Id 6 is taken but not yet committed; 7 is visible. The cursor must not pass 5.
    const rows = [
      { id: 5, recordedAt: NOW - 5000 },
      { id: 7, recordedAt: NOW - 10 },
    ];
    expect(settledCursor(rows, 3, NOW, 2000)).toBe(5);
    // Once 6 has committed and both settled, a read from 5 returns 6 and 7 and moves past them.
    const later = [
      { id: 6, recordedAt: NOW - 20 },
      { id: 7, recordedAt: NOW - 10 },
    ];
    expect(settledCursor(later, 5, NOW + 2000, 2000)).toBe(7);
  });

  it('when nothing was read or nothing settled, then the cursor stays', () => {
    expect(settledCursor([], 9, NOW, 2000)).toBe(9);
    expect(settledCursor([{ id: 10, recordedAt: NOW }], 9, NOW, 2000)).toBe(9);
  });
});
