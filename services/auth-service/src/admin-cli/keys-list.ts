import { acceptedForMs } from '../keys/accepted-for.js';
import type { TokenConfig } from '../tokens/token-config.js';
import { keyLifecycle } from '../keys/key-lifecycle.js';
import type { KeyRepository } from '../keys/key-repository.js';
import type { CliOutput } from './cli-output.js';

/**
 * `npm run keys -- list`: the keys SIGNING_KEYS provides, or a table of the generated keys in
 * the repository (DATA_DIR/keys) with each one's lifecycle (next, active, retired, expired: still on disk until the
 * next rotation prunes it) and dates.
 */
export async function listKeys(
  tokens: TokenConfig,
  repository: KeyRepository,
  io: CliOutput,
  now: number,
): Promise<number> {
  if (tokens.signingKeys) {
    io.out(
      'keys come from SIGNING_KEYS (read-only here): the first signs, the others are published',
    );
    tokens.signingKeys.forEach((key, index) =>
      io.out(`${key.kid}  ${key.alg.padEnd(5)}  ${index === 0 ? 'active' : 'published'}`),
    );
    return 0;
  }
  const listing = await repository.list();
  if (listing.problems[0]) throw listing.problems[0].error;
  if (listing.keys.length === 0) {
    io.out(`no signing keys in ${repository.location}; create one with: npm run keys -- rotate`);
    return 0;
  }
  const retainMs = acceptedForMs(tokens);
  const statuses = keyLifecycle(listing.keys, now, retainMs);
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
