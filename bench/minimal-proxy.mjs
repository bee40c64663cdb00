#!/usr/bin/env node
/**
 * The floor for any Node proxy on this machine: node:http in, node:http out over a keep-alive
 * agent, body and response piped, no routing, no header policy, no logging. It is a yardstick
 * for the benchmark, not something to deploy (it forwards hop-by-hop and spoofable headers).
 * Run: `node bench/minimal-proxy.mjs PORT UPSTREAM_PORT`.
 */
import { Agent, createServer, request } from 'node:http';
import { pathToFileURL } from 'node:url';

/** A proxy server (not yet listening) forwarding everything to 127.0.0.1:`upstreamPort`. */
export function createMinimalProxy(upstreamPort, upstreamHost = '127.0.0.1') {
  const agent = new Agent({ keepAlive: true, timeout: 30_000 });
  return createServer((req, res) => {
    const upstream = request(
      {
        host: upstreamHost,
        port: upstreamPort,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent,
      },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const server = createMinimalProxy(Number(process.argv[3]));
  server.keepAliveTimeout = 65_000;
  server.listen(Number(process.argv[2] ?? 0), '127.0.0.1');
  process.on('SIGTERM', () => server.close(() => process.exit(0)).closeAllConnections());
}
