import { Writable } from 'node:stream';
import { createLogger, type Logger } from '@gatehouse/shared';
import type { GatewayDeps } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { startServer, type GatewayServer } from '../../src/server.js';

export interface TestGateway {
  readonly server: GatewayServer;
  readonly port: number;
  readonly url: string;
  /** Parsed JSON log lines written so far. */
  readonly logs: Record<string, unknown>[];
  close(): Promise<void>;
}

/** A logger whose lines are kept in memory, for tests that assert on logs. */
export function memoryLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { logger: createLogger({ service: 'gateway', level: 'debug', destination }), lines };
}

/** Starts the gateway in-process on 127.0.0.1, port 0, metrics off unless asked for. */
export async function startGateway(
  env: Record<string, string>,
  deps: Partial<GatewayDeps> = {},
): Promise<TestGateway> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    METRICS_PORT: '0',
    LOG_LEVEL: 'debug',
    ...env,
  });
  const { logger, lines } = memoryLogger();
  const server = await startServer(config, { ...deps, logger });
  return {
    server,
    port: server.public.port,
    url: server.public.url,
    logs: lines,
    close: () => server.close(),
  };
}
