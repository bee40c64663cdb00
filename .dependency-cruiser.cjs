/**
 * The import rules of STYLE.md, as code: `npm run lint` runs them (after ESLint), so CI fails
 * on a violation. Paths are relative to the repository root; `$1` in a `to.path` is what the
 * rule's `from.path` captured.
 *
 * Workspace packages resolve through their package exports (`@gatehouse/shared` to
 * `shared/dist/...`), as Node resolves them: CI builds before it lints.
 */

/** A deployable workspace's source folder: each service, the gateway and the CLI. */
const SRC = '((?:services/[^/]+|gateway|cli)/src)';

/** shared's public entry points (its package.json `exports`), in source or built. */
const SHARED_ENTRY =
  '^shared/(src|dist)/(index|koa/index|express/index|fastify/index|node/index)\\.(ts|js|d\\.ts)$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycles',
      comment:
        'Arrows only point one way: no two folders import each other, directly or around a loop.',
      severity: 'error',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-module-cycles',
      comment: 'No module imports itself back through others.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-upward-imports',
      comment:
        "Nothing below a workspace's top files imports them (app, server, main, config) or config/: " +
        'an area declares what it needs and the composition root passes it down. Operator command ' +
        'folders (the auth-service admin-cli/, the gateway cli/) are entry points like main.ts.',
      severity: 'error',
      from: {
        path: `^${SRC}/[^/]+/`,
        pathNot: ['^services/auth-service/src/admin-cli/', '^gateway/src/cli/', '/src/config/'],
      },
      to: { path: '^$1/((app|server|main|config)\\.ts$|config/)' },
    },
    {
      name: 'no-imports-of-routes',
      comment:
        'Route modules are the top of their area: only the top files (app.ts, server.ts) and ' +
        'routes/ itself import routes/.',
      severity: 'error',
      from: { path: `^${SRC}/(?!routes/)[^/]+/` },
      to: { path: '^$1/routes/' },
    },
    {
      name: 'services-never-import-each-other',
      comment:
        'A service, the gateway and the CLI each ship alone; what they share lives in @gatehouse/shared.',
      severity: 'error',
      from: { path: '^(services/[^/]+|gateway|cli)/' },
      to: { path: '^(services/[^/]+|gateway|cli)/', pathNot: '^$1/' },
    },
    {
      name: 'shared-never-imports-a-service',
      comment: '@gatehouse/shared is below every workspace.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(services|gateway|cli)/' },
    },
    {
      name: 'shared-public-entry-points-only',
      comment:
        "Outside shared, import @gatehouse/shared by its package exports ('@gatehouse/shared', " +
        "'@gatehouse/shared/koa', ...), never a file inside it.",
      severity: 'error',
      from: { path: '^(services|gateway|cli|test|bench|scripts)/' },
      to: { path: '^shared/(src|dist)/', pathNot: SHARED_ENTRY },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules|coverage)/' },
    tsPreCompilationDeps: true,
    combinedDependencies: false,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'types', 'default', 'node'],
      extensions: ['.ts', '.d.ts', '.js', '.mjs'],
      mainFields: ['types', 'module', 'main'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
