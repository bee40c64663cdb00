import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  listKeyFiles,
  openKeyDirectory,
  readKeyFile,
  removeKeyFile,
  writeKeyFile,
  type StoredKey,
} from './key-directory.js';
import type { KeyListing, KeyProblem, KeyRepository } from './key-repository.js';

/**
 * The key repository over DATA_DIR/keys: one owner-only JSON file per key, written atomically
 * (key-directory.ts). The directory is created (0700) by the first `add`; listing a missing
 * directory finds no keys. Files never change once written, so each is parsed once and a
 * listing only reads the directory and the files it has not seen. A DATA_DIR belongs to one
 * replica, so `exclusive` queues work within this process only.
 *
 * @example
 * const repository = createDirectoryKeyRepository(config.dataDir);
 * const { keys } = await repository.list();
 */
export function createDirectoryKeyRepository(dataDir: string): KeyRepository {
  const location = join(dataDir, 'keys');
  const parsed = new Map<string, StoredKey>();
  let queue: Promise<unknown> = Promise.resolve();
  const repository: KeyRepository = {
    location,
    async list(): Promise<KeyListing> {
      if (!existsSync(location)) return { keys: [], problems: [] };
      const dir = openKeyDirectory(dataDir);
      const names = listKeyFiles(dir);
      for (const name of parsed.keys()) if (!names.includes(name)) parsed.delete(name);
      const keys: StoredKey[] = [];
      const problems: KeyProblem[] = [];
      for (const name of names) {
        let key = parsed.get(name);
        if (!key) {
          try {
            key = readKeyFile(dir, name);
          } catch (err) {
            problems.push({ name, error: err as Error });
            continue;
          }
          parsed.set(name, key);
        }
        keys.push(key);
      }
      return { keys, problems };
    },
    async add(key) {
      writeKeyFile(openKeyDirectory(dataDir), key);
    },
    async remove(kid) {
      if (existsSync(location)) removeKeyFile(location, kid);
    },
    exclusive(work) {
      // Inside the turn, nested exclusive work runs at once (as in PostgreSQL's transaction).
      const locked: KeyRepository = { ...repository, exclusive: (inner) => inner(locked) };
      const turn = queue.then(() => work(locked));
      queue = turn.catch(() => {});
      return turn;
    },
  };
  return repository;
}
