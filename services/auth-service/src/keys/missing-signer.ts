import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { listKeyFiles, readKeyFile } from './key-directory.js';
import { keyLifecycle } from './key-lifecycle.js';

/** The problem production reports when nothing can sign; names both ways to fix it. */
export function missingSignerProblem(dir: string): string {
  return (
    `no signing key can sign now in ${dir} and SIGNING_KEYS is unset: create one with ` +
    '"npm run keys -- rotate" (same DATA_DIR) or set SIGNING_KEYS to a private JWKS'
  );
}

/**
 * Read-only look at DATA_DIR/keys (nothing is created): the missing-signer problem when no
 * stored key can sign at `at`, else undefined. Lets production list this problem together with
 * the configuration ones, even while the configuration itself is still wrong.
 */
export function findMissingSigner(
  dataDir: string,
  at: number,
  retainMs: number,
): string | undefined {
  const dir = join(dataDir, 'keys');
  if (!existsSync(dir)) return missingSignerProblem(dir);
  let keys;
  try {
    keys = listKeyFiles(dir).map((name) => readKeyFile(dir, name));
  } catch {
    return undefined; // an unreadable key file is reported by start-up with its own reason
  }
  const active = keyLifecycle(keys, at, retainMs).some((status) => status.state === 'active');
  return active ? undefined : missingSignerProblem(dir);
}
