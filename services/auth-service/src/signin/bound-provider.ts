import type { Middleware } from 'koa';
import type { Identify } from './kinds/provider-kind.js';
import type { RegisteredProvider } from './provider-registry.js';

/** What one discovered provider's sign-in needs: grant's middleware and the kind's checks. */
export interface BoundProvider {
  registered: RegisteredProvider;
  grant: Middleware;
  identify: Identify;
}
