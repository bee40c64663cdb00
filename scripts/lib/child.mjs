import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { formatLine } from './log-line.mjs';

/**
 * Starts one service as `node <dir>/dist/main.js` with the Node that runs this script, and
 * relays its stdout and stderr line by line under its label.
 *
 * Each child gets its own process group (`detached`), so a Ctrl-C in the terminal reaches only
 * the runner, which then signals every child exactly once. (The services treat a second signal
 * as "exit now", and npm forwards the terminal's SIGINT as well.)
 *
 * @returns {{ label: string, child: import('node:child_process').ChildProcess,
 *   exited: Promise<{ code: number | null, signal: NodeJS.Signals | null }> }}
 */
export function startService(service, { root, colors, write }) {
  const child = spawn(process.execPath, [join(root, service.dir, 'dist', 'main.js')], {
    cwd: root,
    env: service.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) =>
      write(formatLine(service.label, service.color, line, colors)),
    );
  }
  const exited = new Promise((resolve) => {
    child.once('error', (error) => {
      write(formatLine(service.label, 'red', `could not start: ${error.message}`, colors));
      resolve({ code: null, signal: null });
    });
    // 'close' waits for stdout and stderr to drain, so a dying service's last words print first.
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  return { label: service.label, child, exited };
}
