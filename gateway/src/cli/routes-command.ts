import type { Env } from '@gatehouse/shared';
import { loadRoutesFile } from '../route-table/load-routes-file.js';

const USAGE = 'usage: npm run routes -- check FILE   (validates a ROUTES_FILE offline)';

/**
 * `npm run routes -- check FILE`: validates a routes file as the gateway would load it
 * (variables from `env`). Exit 0 valid (a summary of each route), 1 invalid (every problem),
 * 2 usage or an unreadable file.
 */
export async function runRoutesCommand(
  args: readonly string[],
  env: Env,
  io: { out: (line: string) => void; err: (line: string) => void },
): Promise<number> {
  const [command, file, ...rest] = args;
  if (command !== 'check' || file === undefined || rest.length > 0) {
    io.err(USAGE);
    return 2;
  }
  const result = await loadRoutesFile(file, env);
  if (!result.ok) {
    io.err(`${file}: invalid routes file:\n  ${result.problems.join('\n  ')}`);
    return result.unreadable ? 2 : 1;
  }
  io.out(`${file}: ${result.routes.length} route${result.routes.length === 1 ? '' : 's'}, valid`);
  for (const route of result.routes) {
    const policy =
      route.auth === 'public'
        ? 'public'
        : `token${route.allow ? ` allow ${JSON.stringify(route.allow)}` : ''}`;
    const methods = route.methods ? ` ${route.methods.join(',')}` : '';
    io.out(`  ${route.name}: ${route.path} -> ${route.to.join(', ')} (${policy}${methods})`);
  }
  return 0;
}
