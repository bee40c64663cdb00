import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@gatehouse/shared';

/** The file under DATA_DIR that holds the generated development session key. */
export const SESSION_KEY_FILE = 'session-key';

const MIN_LENGTH = 32;

/**
 * Development only (SESSION_KEYS unset; production refuses that in its configuration): the
 * cookie-signing key kept in `DATA_DIR/session-key`, generated on first start, so sessions
 * survive a restart (compose keeps DATA_DIR in a volume). Replicas sharing DATA_DIR agree on
 * one key: it is written to a private temporary file and linked into place, which fails for
 * every writer but the first.
 *
 * @example
 * const keys = developmentSessionKeys('/data'); // [the key in /data/session-key]
 */
export function developmentSessionKeys(
  dataDir: string,
  generate: () => string = () => randomBytes(32).toString('base64url'),
): string[] {
  const file = join(dataDir, SESSION_KEY_FILE);
  mkdirSync(dataDir, { recursive: true });
  const temporary = join(dataDir, `.${SESSION_KEY_FILE}.${randomBytes(6).toString('hex')}.tmp`);
  writeFileSync(temporary, `${generate()}\n`, { flag: 'wx', mode: 0o600 });
  try {
    linkSync(temporary, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    unlinkSync(temporary);
  }
  const key = readFileSync(file, 'utf8').trim();
  if (key.length < MIN_LENGTH) {
    throw new ConfigError('auth-service', [
      `${file} does not hold a session key of ${MIN_LENGTH}+ characters: delete it to generate ` +
        'a new one (signing everyone out), or set SESSION_KEYS',
    ]);
  }
  return [key];
}
