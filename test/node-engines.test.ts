import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from '@jest/globals';

/**
 * README's Quick start names the Node.js that runs `npm ci` (the services run on the pinned
 * Node.js 24 whatever it is). npm warns EBADENGINE for every package, the root included, whose
 * `engines.node` refuses the running Node.js, so what README promises is checked against the
 * lock file: the minimum installs with only the warnings README names, the quiet version with
 * none.
 */
const semver = createRequire(import.meta.url)('semver') as {
  satisfies(version: string, range: string): boolean;
};
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const root = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  engines: { node: string };
};
const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8')) as {
  packages: Record<string, { engines?: { node?: string } | string[] }>;
};

function documentedVersion(pattern: RegExp): string {
  const match = pattern.exec(readme.replace(/\s+/g, ' '));
  if (!match) throw new Error(`README.md no longer says ${pattern}`);
  return `${match[1]}.0`;
}

/** Names of the locked packages (and the root) whose engines refuse `version`. */
function refusing(version: string): string[] {
  const names = semver.satisfies(version, root.engines.node) ? [] : ['gatehouse'];
  for (const [path, entry] of Object.entries(lock.packages)) {
    const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
    if (path === '' || range === undefined || semver.satisfies(version, range)) continue;
    names.push(path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
  }
  return [...new Set(names)].sort();
}

describe('the Node.js README names for npm ci', () => {
  const minimum = documentedVersion(/You need Node\.js (\d+\.\d+) or later with npm/);
  const quiet = documentedVersion(/With Node\.js (\d+\.\d+) or later `npm ci` is quiet/);

  it('when npm ci runs on the quiet version, then no package warns EBADENGINE', () => {
    expect(refusing(quiet)).toEqual([]);
  });

  it('when npm ci runs on the minimum, then the root accepts it and README names every package that warns', () => {
    const warned = refusing(minimum);
    expect(warned).not.toContain('gatehouse');
    const note = readme.slice(
      readme.indexOf('is quiet;'),
      readme.indexOf('The warning is harmless'),
    );
    for (const name of warned) {
      const family = name.startsWith('@eslint/') ? '@eslint/*' : name;
      expect({ name, named: note.includes(`\`${family}\``) }).toEqual({ name, named: true });
    }
  });
});
