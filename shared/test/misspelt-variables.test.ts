import { describe, expect, it } from '@jest/globals';
import { misspeltVariableMessage, misspeltVariables } from '../src/index.js';

const known = [
  'PORT',
  'HOST',
  'NODE_ENV',
  'LOG_LEVEL',
  'GOOGLE_CLIENT_ID',
  'GOOGLE_CLIENT_SECRET',
  'ALLOWED_EMAILS',
  'ALLOWED_DOMAINS',
];

describe('misspeltVariables', () => {
  it.each([
    ['GOOGLE_CLIENT_SECERT', 'GOOGLE_CLIENT_SECRET'],
    ['ALLOWED_EMAIL', 'ALLOWED_EMAILS'],
    ['ALLOWED_DOMAIN', 'ALLOWED_DOMAINS'],
    ['GOOGLE_CLEINT_ID', 'GOOGLE_CLIENT_ID'],
    ['LOG_LEVL', 'LOG_LEVEL'],
    ['PROT', 'PORT'],
  ])('when %s is set, then it is reported as meaning %s', (name, suggestion) => {
    expect(misspeltVariables({ [name]: 'x' }, known)).toEqual([{ name, suggestion }]);
  });

  it('when the environment holds other programs\u2019 variables, then none is taken for a typo', () => {
    const env = {
      PATH: '/usr/bin',
      HOME: '/home/me',
      HOSTNAME: 'box',
      USER: 'me',
      PWD: '/work',
      TERM: 'xterm',
      LANG: 'C.UTF-8',
      NODE_OPTIONS: '',
      NODE_VERSION: '24',
      npm_config_cache: '/tmp',
      INIT_CWD: '/work',
      SHLVL: '1',
    };
    expect(misspeltVariables(env, known)).toEqual([]);
  });

  it('when a variable is known, unset or lower case, then it is not reported', () => {
    expect(
      misspeltVariables(
        { GOOGLE_CLIENT_SECRET: 's', ALLOWED_EMAIL: undefined, google_client_secert: 's' },
        known,
      ),
    ).toEqual([]);
  });

  it('when it is reported, then the message names both spellings', () => {
    expect(misspeltVariableMessage({ name: 'ALLOWED_EMAIL', suggestion: 'ALLOWED_EMAILS' })).toBe(
      'unknown variable ALLOWED_EMAIL is ignored: did you mean ALLOWED_EMAILS?',
    );
  });
});
