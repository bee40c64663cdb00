/**
 * One Jest run for every workspace. Sources are TypeScript compiled by SWC to ESM; Jest runs in
 * ESM mode (--experimental-vm-modules) because jose and oidc-provider
 * are ESM-only. Workspace imports resolve to sources, so tests need no prior build.
 */
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2024' },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];

/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^@gatehouse/shared$': '<rootDir>/shared/src/index.ts',
    '^@gatehouse/shared/(koa|express|fastify|node)$': '<rootDir>/shared/src/$1/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  roots: [
    '<rootDir>/shared',
    '<rootDir>/services',
    '<rootDir>/gateway',
    '<rootDir>/cli',
    '<rootDir>/test',
  ],
  testMatch: ['**/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testTimeout: 30000,
  // One PostgreSQL server for the run, for the PostgreSQL adapters and replica tests.
  globalSetup: '<rootDir>/test/postgres/global-setup.mjs',
  globalTeardown: '<rootDir>/test/postgres/global-teardown.mjs',
};
