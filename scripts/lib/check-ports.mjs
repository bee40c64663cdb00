import { createServer } from 'node:net';
import { PORT_NAMES } from './plan.mjs';

/**
 * Which planned ports another program already holds, each as the one line that names the
 * variable to change. Checked before any service starts, so a taken port never leaves the
 * other services running (or a stack trace behind).
 *
 * @param {{ ports: Record<string, number> }} plan
 * @param {string} host where the services will listen
 * @param {string[]} labels the planned ports to check (the dev-idp's only in dev mode)
 * @returns {Promise<string[]>}
 */
export async function takenPorts(plan, host, labels) {
  const problems = [];
  for (const label of labels) {
    const port = plan.ports[label];
    if (!port) continue;
    if (await isTaken(port, host)) {
      const name = PORT_NAMES[label];
      problems.push(
        `${name} ${port} is in use by another program; pick another with ${name}=...` +
          (label === 'metrics' ? ' (or METRICS_PORT=0 to turn metrics off)' : ''),
      );
    }
  }
  return problems;
}

function isTaken(port, host) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (err) => resolve(err.code === 'EADDRINUSE' || err.code === 'EACCES'));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(false)));
  });
}
