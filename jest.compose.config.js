import base from './jest.config.js';

/**
 * `npm run test:compose`: the compose smoke test against real containers (a Docker engine is
 * required; it fails, never skips, without one). Kept out of `npm test`, whose suites run
 * in-process in a minute or two; `.ci/run` runs this one after them.
 */
/** @type {import('jest').Config} */
export default {
  ...base,
  roots: ['<rootDir>/test/compose-smoke'],
  testMatch: ['**/*.smoke.ts'],
  testTimeout: 60000,
};
