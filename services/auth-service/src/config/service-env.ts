import {
  envVar,
  flag,
  httpUrl,
  integer,
  logLevel,
  nodeEnv,
  port,
  type EnvValues,
  type ReportProblem,
} from '@gatehouse/shared';
import { z } from 'zod';

/** Variables every part of the auth-service reads: process, public origin, storage. */
export const serviceEnv = {
  NODE_ENV: envVar('`production` refuses development conveniences', nodeEnv()),
  LOG_LEVEL: envVar('pino log level', logLevel()),
  PORT: envVar('listen port', port().default(4001)),
  PUBLIC_URL: envVar(
    'the public origin users see (the gateway), e.g. https://app.example.com',
    httpUrl().default('http://localhost:8080'),
  ),
  TRUST_PROXY: envVar(
    'trust X-Forwarded-* headers (only the gateway can reach the service); false when exposed directly',
    flag().default(true),
  ),
  DATA_DIR: envVar(
    'directory for the embedded database and generated keys',
    z.string().default('./data'),
  ),
  SHUTDOWN_TIMEOUT_MS: envVar(
    'how long a graceful shutdown waits for in-flight requests',
    integer(0).default(10_000),
  ),
};

export function buildServiceConfig(values: EnvValues<typeof serviceEnv>, problem: ReportProblem) {
  const production = values.NODE_ENV === 'production';
  const publicUrl = new URL(values.PUBLIC_URL);
  if (production && publicUrl.protocol !== 'https:') {
    problem('PUBLIC_URL must be https:// when NODE_ENV=production (cookies must be Secure)');
  }
  if (publicUrl.pathname !== '/' || publicUrl.search || publicUrl.hash) {
    problem(`PUBLIC_URL must be an origin without a path, e.g. ${publicUrl.origin}`);
  }
  return {
    nodeEnv: values.NODE_ENV,
    production,
    logLevel: values.LOG_LEVEL,
    port: values.PORT,
    publicUrl: publicUrl.origin,
    trustProxy: values.TRUST_PROXY,
    dataDir: values.DATA_DIR,
    shutdownTimeoutMs: values.SHUTDOWN_TIMEOUT_MS,
  };
}
