import js from '@eslint/js';
import jest from 'eslint-plugin-jest';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Boundaries from STYLE.md: services never import each other; Koa stays out of the gateway. */
const serviceBoundary = (forbidden) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        {
          group: forbidden,
          message: 'Services never import each other; share code through @gatehouse/shared.',
        },
      ],
    },
  ],
});

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
  },
  {
    files: ['**/test/**/*.ts', 'test/**/*.ts'],
    plugins: { jest },
    rules: { 'jest/no-focused-tests': 'error', 'jest/no-disabled-tests': 'error' },
  },
  {
    files: ['gateway/**/*.ts'],
    rules: serviceBoundary([
      'koa',
      'koa/*',
      '@koa/*',
      '@gatehouse/shared/koa',
      '@gatehouse/*-service',
      '**/services/**',
    ]),
  },
  {
    files: ['services/auth-service/**/*.ts'],
    rules: serviceBoundary([
      'express',
      '@gatehouse/shared/express',
      '@gatehouse/api-service',
      '@gatehouse/dev-idp',
      '**/api-service/**',
      '**/dev-idp/**',
      '**/gateway/**',
    ]),
  },
  {
    files: ['services/api-service/**/*.ts'],
    rules: serviceBoundary([
      'express',
      '@gatehouse/shared/express',
      '@gatehouse/auth-service',
      '@gatehouse/dev-idp',
      '**/auth-service/**',
      '**/dev-idp/**',
      '**/gateway/**',
    ]),
  },
  {
    // The CLI is a client of the public HTTP surface only: it ships on its own.
    files: ['cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@gatehouse/*',
                '**/services/**',
                '**/gateway/**',
                '**/shared/**',
                'koa',
                'express',
              ],
              message:
                'The gatehouse CLI talks to the server over HTTP only; it imports no server code.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['services/dev-idp/**/*.ts'],
    rules: serviceBoundary([
      'express',
      '@gatehouse/shared/express',
      '@gatehouse/auth-service',
      '@gatehouse/api-service',
      '**/auth-service/**',
      '**/api-service/**',
      '**/gateway/**',
    ]),
  },
);
