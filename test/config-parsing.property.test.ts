import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ConfigError, type Env } from '@gatehouse/shared';
import { SERVICES } from './support/service-configs.js';

/** Values that have broken config parsers: numbers out of range, half URLs, odd JSON, junk. */
const hostileValue = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '0',
    '-1',
    '1.5',
    '1e309',
    'NaN',
    'Infinity',
    '65536',
    '99999999999999999999',
    'http://',
    'https://',
    'http://localhost:8080/auth',
    'https://app.example',
    'ftp://x',
    'javascript:alert(1)',
    'true',
    'false',
    'production',
    'development',
    'a,b,,c',
    ',',
    '{',
    '{"keys":[{}]}',
    '[]',
    'null',
    '__proto__',
    'constructor',
    '\u0000',
    '\r\n',
    'x'.repeat(10_000),
  ),
  fc.string({ maxLength: 60 }),
  fc.json({ maxDepth: 2 }),
  fc.integer().map(String),
  fc.webUrl(),
);

describe.each(SERVICES.map((s) => [s.name, s] as const))(
  'config parsing on hostile input: %s',
  (_name, { config }) => {
    const names = Object.keys(config.envSpec);
    const hostileEnv = fc.dictionary(
      fc.oneof(fc.constantFrom(...names), fc.constantFrom('__proto__', 'constructor', 'toString')),
      hostileValue,
      { maxKeys: names.length },
    );

    it('when any environment is given, then it is a frozen config or a ConfigError listing problems, never a crash', () => {
      fc.assert(
        fc.property(hostileEnv, (env) => {
          let result: unknown;
          try {
            result = config.loadConfig(env as Env);
          } catch (err) {
            expect(err).toBeInstanceOf(ConfigError);
            const { problems } = err as ConfigError;
            expect(problems.length).toBeGreaterThan(0);
            for (const problem of problems) {
              expect(typeof problem).toBe('string');
              // Every problem names what to fix, among the variables this env makes it read.
              const read = Object.keys(config.envSpecFor?.(env as Env) ?? config.envSpec);
              expect(read.some((variable) => problem.includes(variable))).toBe(true);
            }
            for (const problem of problems) expect((err as Error).message).toContain(problem);
            return;
          }
          expect(Object.isFrozen(result)).toBe(true);
        }),
        { numRuns: 400 },
      );
    });
  },
);
