import { describe, expect, it } from '@jest/globals';
import { isDatabaseUnavailable } from '../../src/db/postgres/database-unavailable.js';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a refused connection', withCode('ECONNREFUSED')],
    ['a shutdown (57P01)', withCode('57P01')],
    ['a statement timeout (57014)', withCode('57014')],
    ['a connection exception (08006)', withCode('08006')],
    ['a connect timeout', new Error('timeout exceeded when trying to connect')],
    ['an error from another realm', { code: 'ECONNRESET', message: 'read ECONNRESET' }],
  ])('when it is %s, then it is unavailable (503)', (_, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it.each([
    ['a unique violation (23505)', withCode('23505')],
    ['a syntax error (42601)', withCode('42601')],
    ['a plain bug', new TypeError('undefined is not a function')],
    ['not an object', 'ECONNREFUSED'],
  ])('when it is %s, then it is not (500)', (_, err) => {
    expect(isDatabaseUnavailable(err)).toBe(false);
  });
});
