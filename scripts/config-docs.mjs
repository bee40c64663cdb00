/**
 * Rewrites README.md's configuration tables from the services' own env schemas, so the docs
 * say exactly what the code reads. test/readme.test.ts fails when they disagree.
 *
 *   npm run build && node scripts/config-docs.mjs
 *
 * The result is formatted with Prettier. Each table sits between `<!-- config:NAME -->` and `<!-- /config:NAME -->`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format, resolveConfig } from 'prettier';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SERVICES = [
  ['gateway', 'gateway'],
  ['auth-service', 'services/auth-service'],
  ['api-service', 'services/api-service'],
  ['dev-idp', 'services/dev-idp'],
];

/** The default as README shows it: the value, `required`, or `—` (optional, no default). */
function shownDefault(variable) {
  const parsed = variable.schema.safeParse(undefined);
  if (!parsed.success) return 'required';
  if (parsed.data === undefined || variable.secret) return '—';
  const value = Array.isArray(parsed.data) ? parsed.data.join(',') : String(parsed.data);
  return value === '' ? '—' : `\`${value}\``;
}

function table(envSpec) {
  const rows = Object.entries(envSpec).map(
    ([name, variable]) =>
      `| \`${name}\` | ${shownDefault(variable)} | ${variable.description.replaceAll('|', '\\|')} |`,
  );
  return ['| variable | default | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

let readme = readFileSync(join(root, 'README.md'), 'utf8');
for (const [name, workspace] of SERVICES) {
  const { envSpec } = await import(pathToFileURL(join(root, workspace, 'dist', 'config.js')).href);
  const open = `<!-- config:${name} -->`;
  const close = `<!-- /config:${name} -->`;
  const start = readme.indexOf(open);
  const end = readme.indexOf(close);
  if (start < 0 || end < start) throw new Error(`README.md has no ${open} ... ${close} section`);
  readme = `${readme.slice(0, start + open.length)}\n\n${table(envSpec)}\n\n${readme.slice(end)}`;
}
const readmePath = join(root, 'README.md');
const options = await resolveConfig(readmePath);
writeFileSync(readmePath, await format(readme, { ...options, filepath: readmePath }));
console.log('README.md configuration tables updated');
