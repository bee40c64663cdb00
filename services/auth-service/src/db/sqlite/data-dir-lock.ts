import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

const LOCK_FILE = 'writer.lock';
const HOLDER_FILE = 'writer.json';

/** Who holds DATA_DIR, as the refusal to a second auth-service names it. */
export interface DataDirHolder {
  readonly pid: number;
  readonly publicUrl: string;
  readonly port: number;
  /** ISO time it took the lock. */
  readonly since: string;
}

/** A second auth-service asked for a DATA_DIR another process is writing. */
export class DataDirInUseError extends Error {
  readonly code = 'ERR_DATA_DIR_IN_USE';

  constructor(
    readonly dataDir: string,
    readonly holder: DataDirHolder | undefined,
  ) {
    const who = holder
      ? `another auth-service (pid ${holder.pid}, PUBLIC_URL ${holder.publicUrl}, port ${holder.port}, since ${holder.since})`
      : 'another auth-service';
    super(
      `DATA_DIR ${dataDir} is in use by ${who}; its SQLite database takes one writing process: ` +
        'stop that one, or give this one its own DATA_DIR (or DATABASE_URL for replicas)',
    );
    this.name = 'DataDirInUseError';
  }
}

/**
 * Makes this process the one auth-service writing the SQLite database under `dataDir`.
 * Enforces:
 * - one holder at a time: an exclusive SQLite lock on DATA_DIR/writer.lock, held until
 *   `release` or the process ends (the kernel drops it even on a crash, so no stale lock);
 * - a refusal that says who holds it: the holder writes pid, PUBLIC_URL and port to
 *   DATA_DIR/writer.json, which a refused process reads for DataDirInUseError.
 * The users, keys and clients CLIs take no lock: they run briefly beside the service.
 */
export function lockDataDir(
  dataDir: string,
  holder: Omit<DataDirHolder, 'pid' | 'since'>,
  now: number = Date.now(),
): { release(): void } {
  mkdirSync(dataDir, { recursive: true });
  const db = new DatabaseSync(join(dataDir, LOCK_FILE), { timeout: 0 });
  try {
    db.exec('PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;');
  } catch (err) {
    db.close();
    if ((err as { errcode?: number }).errcode !== SQLITE_BUSY) throw err;
    throw new DataDirInUseError(dataDir, readHolder(dataDir));
  }
  const mine: DataDirHolder = {
    ...holder,
    pid: process.pid,
    since: new Date(now).toISOString(),
  };
  const file = join(dataDir, HOLDER_FILE);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(mine)}\n`);
  renameSync(`${file}.tmp`, file);
  return { release: () => db.close() };
}

const SQLITE_BUSY = 5;

function readHolder(dataDir: string): DataDirHolder | undefined {
  try {
    return JSON.parse(readFileSync(join(dataDir, HOLDER_FILE), 'utf8')) as DataDirHolder;
  } catch {
    return undefined;
  }
}
