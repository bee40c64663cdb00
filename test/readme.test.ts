import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { documentedDefault, SERVICES } from './support/service-configs.js';

/**
 * README's configuration tables must say what the code reads. On a mismatch, regenerate
 * them: `npm run build && node scripts/config-docs.mjs`.
 */
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

interface Row {
  name: string;
  default: string;
  description: string;
}

/** The rows of the table between `<!-- config:NAME -->` and `<!-- /config:NAME -->`. */
function documentedRows(service: string): Row[] {
  const start = readme.indexOf(`<!-- config:${service} -->`);
  const end = readme.indexOf(`<!-- /config:${service} -->`);
  if (start < 0 || end < start) throw new Error(`README.md has no config:${service} section`);
  return readme
    .slice(start, end)
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const cells = line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim().replaceAll('\\|', '|'));
      const unquote = (cell: string) => cell.replace(/^`(.*)`$/, '$1');
      return {
        name: unquote(cells[0] ?? ''),
        default: unquote(cells[1] ?? ''),
        description: cells[2] ?? '',
      };
    });
}

describe('README configuration tables', () => {
  it.each(SERVICES.map((s) => [s.name, s] as const))(
    'when %s is documented, then its table lists exactly the variables its schema reads',
    (name, { config }) => {
      const documented = documentedRows(name).map((row) => row.name);

      expect(documented.sort()).toEqual(Object.keys(config.envSpec).sort());
    },
  );

  it.each(SERVICES.map((s) => [s.name, s] as const))(
    'when %s is documented, then each row has the schema description and default',
    (name, { config }) => {
      const expected = Object.entries(config.envSpec).map(([variable, spec]) => ({
        name: variable,
        default: documentedDefault(config.envSpec, variable),
        description: spec.description,
      }));

      expect(documentedRows(name)).toEqual(expect.arrayContaining(expected));
    },
  );

  it('when CI runs, then it runs the test command README gives', () => {
    const ci = readFileSync(new URL('../.ci/run', import.meta.url), 'utf8');

    expect(readme).toMatch(/^npm test$/m);
    expect(ci).toMatch(/^\s*npm test\b/m);
  });
});
