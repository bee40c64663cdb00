import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import {
  ConfigError,
  commaList,
  envVar,
  httpUrl,
  loadConfig,
  port,
  requireOrigin,
} from '../src/index.js';

const spec = {
  PORT: envVar('listen port', port().default(4001)),
  PUBLIC_URL: envVar('public origin', httpUrl()),
  ALLOWED_EMAILS: envVar('allowlist', commaList().default([])),
  SECRET: envVar('a secret', z.string().min(32), { secret: true }),
};

describe('loadConfig', () => {
  it('when every variable is valid, then returns a frozen typed object with defaults', () => {
    const config = loadConfig(
      'svc',
      spec,
      { PUBLIC_URL: 'http://x.test/', SECRET: 'a'.repeat(32) },
      (v) => ({
        port: v.PORT,
        publicUrl: v.PUBLIC_URL,
        emails: v.ALLOWED_EMAILS,
      }),
    );
    expect(config).toEqual({ port: 4001, publicUrl: 'http://x.test', emails: [] });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.emails)).toBe(true);
  });

  it('when several variables are wrong, then one ConfigError lists them all and hides secrets', () => {
    let error: unknown;
    try {
      loadConfig('svc', spec, { PORT: 'eighty', PUBLIC_URL: 'ftp://x', SECRET: 'short' }, (v) => v);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems, message } = error as ConfigError;
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^PORT .*"eighty"/);
    expect(problems[1]).toMatch(/^PUBLIC_URL must be an http/);
    expect(problems[2]).toMatch(/^SECRET /);
    expect(message).not.toContain('short');
    expect(message).toMatch(/^svc: invalid configuration:\n {2}PORT/);
  });

  it('when a build step reports a cross-variable problem, then it is thrown', () => {
    expect(() =>
      loadConfig('svc', spec, { PUBLIC_URL: 'http://x', SECRET: 'a'.repeat(32) }, (v, problem) => {
        problem('PUBLIC_URL must be https in production');
        return v;
      }),
    ).toThrow(/must be https in production/);
  });
  it('when a required variable is missing, then it says so', () => {
    expect(() => loadConfig('svc', spec, { SECRET: 'a'.repeat(32) }, (v) => v)).toThrow(
      /PUBLIC_URL is required/,
    );
  });

  it.each([
    ['a path', 'https://app.example.com/base'],
    ['a query', 'https://app.example.com/?x=1'],
    ['credentials', 'https://user:pw@app.example.com'],
  ])('when an origin variable has %s, then requireOrigin reports it by name', (_label, value) => {
    const problems: string[] = [];
    requireOrigin('PUBLIC_URL', value, (p) => problems.push(p));
    expect(problems).toEqual([
      'PUBLIC_URL must be an origin without a path or credentials, e.g. https://app.example.com',
    ]);
  });

  it('when an origin variable is a bare origin, then requireOrigin reports nothing', () => {
    const problems: string[] = [];
    expect(
      requireOrigin('PUBLIC_URL', 'https://app.example.com', (p) => problems.push(p)).origin,
    ).toBe('https://app.example.com');
    expect(problems).toEqual([]);
  });

  it('when an enum or a number is malformed, then the message names the choices or the unit, not zod', () => {
    const numbers = {
      MODE: envVar('mode', z.enum(['a', 'b']).default('a')),
      TTL: envVar('lifetime', z.coerce.number().int().min(60).max(600).default(60), {
        unit: 'seconds',
      }),
    };
    const problemsOf = (env: Record<string, string>) => {
      try {
        loadConfig('svc', numbers, env, (v) => v);
      } catch (err) {
        return (err as ConfigError).problems;
      }
      return [];
    };
    expect(problemsOf({ MODE: 'c', TTL: '10m' })).toEqual([
      'MODE must be one of a, b (got "c")',
      'TTL must be a whole number of seconds (got "10m")',
    ]);
    expect(problemsOf({ TTL: '6000' })).toEqual(['TTL must be at most 600 seconds (got "6000")']);
  });

  it('when a defaulted variable is malformed, then the build step still runs and its other problems are listed too', () => {
    const withDefault = { ...spec, PORT: envVar('listen port', port().default(4001)) };
    let error: ConfigError | undefined;
    try {
      loadConfig(
        'svc',
        withDefault,
        { PORT: 'x', PUBLIC_URL: 'http://x', SECRET: 'a'.repeat(32) },
        (v, problem) => {
          problem('PUBLIC_URL must be https in production');
          problem('PORT must differ from something'); // judges the stand-in default: dropped
          return v;
        },
      );
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error?.problems).toEqual([
      expect.stringMatching(/^PORT /),
      'PUBLIC_URL must be https in production',
    ]);
  });
});
