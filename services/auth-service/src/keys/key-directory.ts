import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { KeyTimes } from './key-lifecycle.js';
import { parsePrivateJwk, SigningKeyError, type SigningKey } from './signing-key.js';

/** A key as kept on disk: the key and its schedule. Files are written once, never edited. */
export type StoredKey = SigningKey & KeyTimes;

const KEY_FILE = /^[A-Za-z0-9_-]{43}\.json$/;

/** `DATA_DIR/keys`, created owner-only (0700) when missing and tightened when too open. */
export function openKeyDirectory(dataDir: string): string {
  const dir = join(dataDir, 'keys');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  return dir;
}

/** The key file names, cheap enough to compare on every refresh. */
export function listKeyFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => KEY_FILE.test(name))
    .sort();
}

/** Reads one key file; the error names the file and what is wrong with it. */
export function readKeyFile(dir: string, name: string): StoredKey {
  const where = join(dir, name);
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(readFileSync(where, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    // JSON.parse quotes the input in its message; that input is a private key.
    const reason = (err as NodeJS.ErrnoException).code ?? 'not valid JSON';
    throw new SigningKeyError(`${where}: cannot be read as a key file (${reason})`);
  }
  const createdAt = Date.parse(String(record.createdAt));
  const activatesAt = Date.parse(String(record.activatesAt));
  if (Number.isNaN(createdAt) || Number.isNaN(activatesAt)) {
    throw new SigningKeyError(`${where}: "createdAt" and "activatesAt" must be ISO 8601 dates`);
  }
  let key: SigningKey;
  try {
    key = parsePrivateJwk(record.privateJwk);
  } catch (err) {
    throw new SigningKeyError(`${where}: "privateJwk" ${(err as Error).message}`);
  }
  if (`${key.kid}.json` !== name) {
    throw new SigningKeyError(`${where}: the file name must be the key's kid "${key.kid}.json"`);
  }
  return { ...key, createdAt, activatesAt };
}

/**
 * Writes a key file atomically: a 0600 temporary file, flushed, then renamed into place, so a
 * reader (another replica, a running service) sees either no file or the whole key.
 */
export function writeKeyFile(dir: string, key: StoredKey): void {
  const body = JSON.stringify(
    {
      kid: key.kid,
      alg: key.alg,
      createdAt: new Date(key.createdAt).toISOString(),
      activatesAt: new Date(key.activatesAt).toISOString(),
      privateJwk: key.privateJwk,
    },
    null,
    2,
  );
  const temporary = join(dir, `.${key.kid}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, `${body}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temporary, join(dir, `${key.kid}.json`));
  } catch (err) {
    unlinkSync(temporary);
    throw err;
  }
  syncDirectory(dir);
}

/** Deletes a key file; another replica deleting it first is fine. */
export function removeKeyFile(dir: string, kid: string): void {
  try {
    unlinkSync(join(dir, `${kid}.json`));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/** Makes the rename durable across a power cut; best effort where directories cannot be opened. */
function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Not supported on every platform; the rename itself is already atomic.
  }
}
