#!/usr/bin/env node
/**
 * The tiny upstream every gateway-benchmark row hits: node:http answering a small JSON body,
 * with the keep-alive timeout the services use (65 s). Run: `node bench/gateway-upstream.mjs PORT`.
 */
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

const BODY = JSON.stringify({ sub: 'bench-user', email: 'bench@example.com', roles: ['user'] });

/** Starts the upstream on `port` (0 for any) and resolves with the server once listening. */
export async function startTinyUpstream(port = 0, host = '127.0.0.1') {
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(BODY),
    });
    res.end(BODY);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise((resolve) => server.listen(port, host, resolve));
  return server;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const server = await startTinyUpstream(Number(process.argv[2] ?? 0));
  process.on('SIGTERM', () => server.close(() => process.exit(0)).closeAllConnections());
}
