import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('docs/forward-auth.md', () => {
  it.each([
    ['nginx', 'deploy/forward-auth/nginx.conf'],
    ['caddyfile', 'deploy/forward-auth/Caddyfile'],
  ])(
    'when it shows the %s configuration, then it is the tested file, word for word',
    (lang, file) => {
      const doc = read('docs/forward-auth.md');
      expect(doc).toContain(`\`\`\`${lang}\n${read(file)}\`\`\``);
    },
  );
});
