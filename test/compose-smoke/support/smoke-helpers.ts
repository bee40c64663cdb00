import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * An empty env file in a scratch directory: compose reads it instead of a developer's `.env`,
 * so a smoke run sees only the compose files' own defaults. `remove` deletes the directory.
 */
export function emptyEnvFile(prefix: string): { path: string; remove(): void } {
  const scratch = mkdtempSync(join(tmpdir(), prefix));
  const path = join(scratch, 'empty.env');
  writeFileSync(path, '');
  return { path, remove: () => rmSync(scratch, { recursive: true, force: true }) };
}
