import { describe, expect, it } from '@jest/globals';
import { formatLine } from '../scripts/lib/log-line.mjs';

const line = JSON.stringify({
  level: 'warn',
  time: '2026-11-26T05:00:00.000Z',
  service: 'auth-service',
  msg: 'SESSION_KEYS is not set',
  request_id: 'r-123456789',
});

describe('npm start log lines', () => {
  it('when the terminal has colours, then a pino line is shortened to time, LEVEL, message and the rest', () => {
    const text = formatLine('auth', 'green', line, true);
    expect(text).toContain('WARN');
    expect(text).toContain('SESSION_KEYS is not set');
    expect(text).toContain('"request_id":"r-123456789"');
    expect(text).not.toContain('"service"');
    expect(text).toContain('\u001b[33m'); // warnings in yellow
  });

  it('when output is piped, then the raw JSON is kept behind the label', () => {
    expect(formatLine('auth', 'green', line, false)).toBe(`[auth]    ${line}`);
  });
});
