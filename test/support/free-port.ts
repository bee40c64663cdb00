import { createServer } from 'node:net';

/**
 * A loopback port that was free a moment ago. Only the gateway needs one: its public URL
 * (and so every service's configuration) must be known before it listens.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
