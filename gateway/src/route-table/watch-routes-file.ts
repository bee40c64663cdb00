import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Logger } from '@gatehouse/shared';

/** Changes are gathered this long: editors and ConfigMap updates write in several steps. */
const SETTLE_MS = 100;

/**
 * Calls `onChange` once a burst of changes to `file` has settled. Watches the directory, not
 * the file: editors replace files, and Kubernetes swaps a ConfigMap's `..data` symlink, both of
 * which a watch on the file itself would miss after the first time. Returns the stop function.
 */
export function watchRoutesFile(file: string, onChange: () => void, logger: Logger): () => void {
  const name = basename(file);
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher;
  try {
    watcher = watch(dirname(file), { persistent: false }, (_event, changed) => {
      if (changed !== null && changed !== name && changed !== '..data') return;
      clearTimeout(timer);
      timer = setTimeout(onChange, SETTLE_MS);
    });
  } catch (err) {
    logger.warn({ err, file }, 'routes file cannot be watched; reload it with SIGHUP');
    return () => {};
  }
  watcher.on('error', (err) =>
    logger.warn({ err, file }, 'routes file watch failed; reload it with SIGHUP'),
  );
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
