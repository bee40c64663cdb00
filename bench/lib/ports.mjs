/** Loopback ports for the processes a benchmark starts. */
import { createServer } from 'node:net';

/**
 * A port on 127.0.0.1 that was free a moment ago: for children that need their port in their
 * environment before they start (a child binding port 0 could not tell us which it got).
 */
export async function freePort() {
  const server = createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `http://127.0.0.1:PORT`: every benchmark stays on loopback. */
export const loopbackUrl = (port) => `http://127.0.0.1:${port}`;
