import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a stand-in service saw of one request. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  rawHeaders: string[];
}

export type UpstreamHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface TestUpstream {
  readonly url: string;
  readonly port: number;
  readonly seen: SeenRequest[];
  /** Replaces how the service answers from the next request on. */
  handle(handler: UpstreamHandler): void;
  close(): Promise<void>;
}

/** Answers 200 with what it received, the way the services echo the request id. */
export const echo: UpstreamHandler = (req, res) => {
  const body = JSON.stringify({ method: req.method, url: req.url, headers: req.headers });
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'X-Request-Id': String(req.headers['x-request-id'] ?? ''),
  });
  res.end(body);
};

/**
 * A plain node:http server standing in for a service, on port 0 (or `port`, to come back
 * where a stopped one was). Records every request it sees.
 */
export async function startUpstream(
  handler: UpstreamHandler = echo,
  port = 0,
): Promise<TestUpstream> {
  let current = handler;
  const seen: SeenRequest[] = [];
  const server: Server = createServer((req, res) => {
    seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      rawHeaders: req.rawHeaders,
    });
    current(req, res);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    seen,
    handle: (next) => {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
