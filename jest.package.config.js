import base from './jest.config.js';

/**
 * `npm run test:package`: the verifier package and the CLI packed, installed from their
 * tarballs outside the repository, and run against a running system (test/package/). Kept
 * out of `npm test`: installing resolves public packages, from the registry when the npm
 * cache lacks them; `.ci/run` runs it as its own step.
 */
/** @type {import('jest').Config} */
export default {
  ...base,
  roots: ['<rootDir>/test/package'],
  testMatch: ['**/*.pack.ts'],
  testTimeout: 60000,
};
