import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A routes file in a fresh temporary directory; `write` replaces its content. */
export function tempRoutesFile(text: string): {
  path: string;
  write(next: string): void;
  remove(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-routes-'));
  const path = join(dir, 'routes.yaml');
  writeFileSync(path, text);
  return {
    path,
    write: (next) => writeFileSync(path, next),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
