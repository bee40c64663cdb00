import { Writable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { createLogger, lineWriter } from '../src/index.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger({ service: 'test', destination: destination as never });
  return { logger, lines };
}

describe('createLogger', () => {
  it('when request or response headers are logged, then credentials are redacted', () => {
    const { logger, lines } = capture();
    logger.info({
      req: {
        headers: { authorization: 'Bearer eyJ.secret', cookie: 'gatehouse_session=abc', host: 'x' },
      },
      res: { headers: { 'set-cookie': ['gatehouse_session=abc; Path=/auth'] } },
    });
    const text = JSON.stringify(lines[0]);
    expect(text).not.toContain('eyJ.secret');
    expect(text).not.toContain('gatehouse_session=abc');
    expect(lines[0]).toMatchObject({
      req: { headers: { authorization: '[redacted]', host: 'x' } },
    });
  });

  it('when tokens or an authorization code are logged by name, then they are redacted', () => {
    const { logger, lines } = capture();
    logger.info({
      grant: { access_token: 'at', id_token: 'it', refresh_token: 'rt', client_secret: 'cs' },
      query: { code: 'auth-code-123', state: 's' },
    });
    const text = JSON.stringify(lines[0]);
    for (const secret of ['"at"', '"it"', '"rt"', '"cs"', 'auth-code-123'])
      expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({ query: { state: 's' } });
  });

  it('when an error with a code is logged, then its code stays readable', () => {
    const { logger, lines } = capture();
    logger.error(
      { err: Object.assign(new Error('connect failed'), { code: 'ECONNREFUSED' }) },
      'upstream',
    );
    expect(lines[0]).toMatchObject({
      err: { code: 'ECONNREFUSED', message: 'connect failed' },
      service: 'test',
    });
  });
});

describe('lineWriter', () => {
  const rawCapture = (level = 'info') => {
    const lines: string[] = [];
    const logger = createLogger({
      service: 'test',
      level,
      destination: { write: (line: string) => void lines.push(line) },
    });
    return { logger, lines };
  };

  it('when a line is written, then it is the line logger.info writes for the same fields', () => {
    const { logger, lines } = rawCapture();
    const fields = { request_id: 'a"b\\c', path: '/x?\u2028', status: 200, duration_ms: 1.5 };
    logger.info(fields, 'request');
    lineWriter(logger)(
      'info',
      `"request_id":${JSON.stringify(fields.request_id)},"path":${JSON.stringify(fields.path)},"status":200,"duration_ms":1.5`,
      'request',
    );
    const [viaPino, direct] = lines.map((line) => line.replace(/"time":"[^"]+"/, '"time":"T"'));
    expect(direct).toBe(viaPino);
    expect(JSON.parse(lines[1]!)).toMatchObject({ level: 'info', service: 'test', ...fields });
  });

  it('when the level is below the logger level, then nothing is written', () => {
    const { logger, lines } = rawCapture('info');
    lineWriter(logger)('debug', '"status":200', 'request');
    expect(lines).toEqual([]);
  });
});
