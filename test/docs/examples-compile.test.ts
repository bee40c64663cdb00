import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** The ```ts blocks of a Markdown file. */
function typescriptBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
}

describe('documentation examples', () => {
  it('when docs/protecting-a-service.md is compiled against @gatehouse/shared, then it type-checks', () => {
    const blocks = typescriptBlocks(
      readFileSync(join(root, 'docs/protecting-a-service.md'), 'utf8'),
    );
    expect(blocks.length).toBeGreaterThan(0);
    // Inside the repository, so @gatehouse/shared resolves to the built package as a team's would.
    const dir = mkdtempSync(join(root, 'test/docs/.example-'));
    try {
      const files = blocks.map((code, i) => {
        const file = join(dir, `example-${i}.ts`);
        writeFileSync(file, code);
        return file;
      });
      const program = ts.createProgram(files, {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: ['node'],
      });
      const problems = ts
        .getPreEmitDiagnostics(program)
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      expect(problems).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
