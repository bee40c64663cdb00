import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { describe, expect, it } from '@jest/globals';
import { DataDirInUseError, lockDataDir } from '../../src/db/sqlite/data-dir-lock.js';

const built = new URL('../../dist/db/sqlite/data-dir-lock.js', import.meta.url).href;
const T0 = Date.UTC(2026, 0, 1);

/** Another process holding `dataDir`, as a second `npm start` would find the first. */
async function holderProcess(dataDir: string) {
  const child = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const { lockDataDir } = await import(${JSON.stringify(built)});
       lockDataDir(process.argv[1], { publicUrl: 'http://localhost:8080', port: 4001 }, ${T0});
       console.log('locked');
       setInterval(() => {}, 1000);`,
      dataDir,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [line] = (await once(child.stdout, 'data')) as [Buffer];
  expect(line.toString().trim()).toBe('locked');
  return child;
}

function refusal(dataDir: string): unknown {
  try {
    lockDataDir(dataDir, { publicUrl: 'http://localhost:18180', port: 14001 }).release();
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('lockDataDir', () => {
  it('when another process holds DATA_DIR, then the lock is refused naming its pid, PUBLIC_URL and port; once it ends, the lock is free', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'data-dir-lock-'));
    const holder = await holderProcess(dataDir);

    const err = refusal(dataDir);
    expect(err).toBeInstanceOf(DataDirInUseError);
    expect(err).toMatchObject({
      code: 'ERR_DATA_DIR_IN_USE',
      holder: { pid: holder.pid, publicUrl: 'http://localhost:8080', port: 4001 },
    });
    expect((err as Error).message).toBe(
      `DATA_DIR ${dataDir} is in use by another auth-service (pid ${holder.pid}, PUBLIC_URL ` +
        'http://localhost:8080, port 4001, since 2026-01-01T00:00:00.000Z); its SQLite database ' +
        'takes one writing process: stop that one, or give this one its own DATA_DIR (or ' +
        'DATABASE_URL for replicas)',
    );

    // Killed, not stopped: the kernel drops the lock, so a crash leaves nothing stale.
    holder.kill('SIGKILL');
    await once(holder, 'exit');
    lockDataDir(dataDir, { publicUrl: 'http://localhost:18180', port: 14001 }).release();
  });

  it('when this process holds DATA_DIR, then a second lock is refused until the first is released', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'data-dir-lock-'));
    const first = lockDataDir(dataDir, { publicUrl: 'http://localhost:8080', port: 4001 });
    expect(refusal(dataDir)).toBeInstanceOf(DataDirInUseError);
    first.release();
    expect(refusal(dataDir)).toBeUndefined();
  });
});
