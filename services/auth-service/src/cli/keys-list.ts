import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TokenConfig } from '../config/token-env.js';
import { listKeyFiles, readKeyFile } from '../keys/key-directory.js';
import { keyLifecycle } from '../keys/key-lifecycle.js';
import type { CliOutput } from './cli-output.js';

/**
 * `npm run keys -- list`: the keys SIGNING_KEYS provides, or a table of the generated keys in
 * DATA_DIR with each one's lifecycle (next, active, retired, expired: still on disk until the
 * next rotation prunes it) and dates.
 */
export function listKeys(
  config: { dataDir: string; tokens: TokenConfig },
  io: CliOutput,
  now: number,
): number {
  const { tokens } = config;
  if (tokens.signingKeys) {
    io.out(
      'keys come from SIGNING_KEYS (read-only here): the first signs, the others are published',
    );
    tokens.signingKeys.forEach((key, index) =>
      io.out(`${key.kid}  ${key.alg.padEnd(5)}  ${index === 0 ? 'active' : 'published'}`),
    );
    return 0;
  }
  const dir = join(config.dataDir, 'keys');
  const names = existsSync(dir) ? listKeyFiles(dir) : [];
  if (names.length === 0) {
    io.out(`no signing keys in ${dir}; create one with: npm run keys -- rotate`);
    return 0;
  }
  const retainMs = (tokens.accessTokenTtl + tokens.clockSkew) * 1000;
  const statuses = keyLifecycle(
    names.map((name) => readKeyFile(dir, name)),
    now,
    retainMs,
  );
  const row = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(COLUMN_WIDTHS[i] ?? 0))
      .join('  ')
      .trimEnd();
  io.out(row(['KID', 'ALG', 'STATE', 'CREATED', 'SIGNS FROM', 'RETIRED', 'UNPUBLISHED']));
  for (const s of statuses) {
    io.out(
      row([
        s.kid,
        s.alg,
        s.state,
        isoDate(s.createdAt),
        isoDate(s.activatesAt),
        isoDate(s.retiredAt),
        isoDate(s.unpublishAt),
      ]),
    );
  }
  return 0;
}

/** kid, alg, state, then four dates. */
const COLUMN_WIDTHS = [43, 5, 7, 20, 20, 20, 20];

/** A key date to the second, `-` when unset. */
export function isoDate(ms: number | undefined): string {
  return ms === undefined ? '-' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
