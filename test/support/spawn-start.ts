import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * `npm start` (scripts/start.mjs, on the built dist) as a child with piped output. Its
 * environment is only what the test means: development, info logs, no Google client, public
 * URL or host, then `env` (ports, DATA_DIR, the case at hand); set values also win over a
 * developer's `.env`.
 */
export function spawnStart(env: Record<string, string>) {
  return spawn(process.execPath, [join(root, 'scripts/start.mjs')], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      GOOGLE_CLIENT_ID: '',
      PUBLIC_URL: '',
      HOST: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
