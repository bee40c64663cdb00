import { Counter, type Registry } from 'prom-client';

/** Sign-ins by provider and decision (`allowed`, `denied`, `linked`), for /metrics. */
export interface SignInMetrics {
  signIn(provider: string, decision: 'allowed' | 'denied' | 'linked'): void;
}

/**
 * `auth_sign_ins_total{provider,decision}` in the service's registry.
 *
 * @example
 * const metrics = createSignInMetrics(httpMetrics.registry);
 * metrics.signIn('github', 'allowed');
 */
export function createSignInMetrics(registry: Registry): SignInMetrics {
  const counter = new Counter({
    name: 'auth_sign_ins_total',
    help: 'Sign-in callbacks by provider and decision',
    labelNames: ['provider', 'decision'] as const,
    registers: [registry],
  });
  return { signIn: (provider, decision) => counter.inc({ provider, decision }) };
}
