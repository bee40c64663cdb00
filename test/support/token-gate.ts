import type { TokenGate } from './fake-google-types.js';

/**
 * A gate for the fake Google's token endpoint (`misbehave({ tokenGate })`): the test learns
 * when the auth-service's token request has arrived and decides when it is answered, so a
 * race (a sign-out while a callback waits on the provider) happens in one order every run.
 *
 * @example
 * const gate = tokenGate();
 * google.misbehave({ tokenGate: gate });
 * const callback = client.request(callbackUrl);
 * await gate.reached;   // the callback is now waiting on the provider
 * gate.release();
 */
export function tokenGate(): TokenGate & { readonly reached: Promise<void>; release(): void } {
  let arrived!: () => void;
  let release!: () => void;
  const reached = new Promise<void>((resolve) => (arrived = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  return { arrived, released, reached, release };
}
