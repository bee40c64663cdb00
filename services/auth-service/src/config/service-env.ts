import {
  type EnvValues,
  envVar,
  httpUrl,
  processConfig,
  processEnv,
  requireOrigin,
  type ReportProblem,
  trustProxyEnv,
} from '@gatehouse/shared';
import { z } from 'zod';

/** Variables every part of the auth-service reads: process, public origin, storage. */
export const serviceEnv = {
  ...processEnv({ port: 4001 }),
  PUBLIC_URL: envVar(
    'the public origin users see (the gateway), e.g. https://app.example.com',
    httpUrl().default('http://localhost:8080'),
  ),
  ...trustProxyEnv(),
  DATA_DIR: envVar(
    'directory for the embedded database and generated keys',
    z.string().default('./data'),
  ),
};

export function buildServiceConfig(values: EnvValues<typeof serviceEnv>, problem: ReportProblem) {
  const base = processConfig(values, problem);
  const publicUrl = requireOrigin('PUBLIC_URL', values.PUBLIC_URL, problem);
  if (base.production && publicUrl.protocol !== 'https:') {
    problem('PUBLIC_URL must be https:// when NODE_ENV=production (cookies must be Secure)');
  }
  return {
    ...base,
    publicUrl: publicUrl.origin,
    trustProxy: values.TRUST_PROXY,
    dataDir: values.DATA_DIR,
  };
}
