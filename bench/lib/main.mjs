/** The process boundary each bench script shares when run on its own or from run.mjs. */
import { pathToFileURL } from 'node:url';
import { cleanUpOnExit, stopEverything } from './processes.mjs';

/**
 * Runs `main` when the module at `moduleUrl` is the script node was started with: children
 * are stopped on Ctrl-C, on error and at the end, and the process exits (`main`'s number, 0,
 * or 1 on error) rather than waiting on a stray keep-alive socket.
 */
export async function runAsScript(moduleUrl, main) {
  if (!process.argv[1] || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  cleanUpOnExit();
  let code;
  try {
    const result = await main();
    code = typeof result === 'number' ? result : 0;
  } catch (err) {
    console.error(err);
    code = 1;
  }
  await stopEverything();
  process.exit(code);
}
