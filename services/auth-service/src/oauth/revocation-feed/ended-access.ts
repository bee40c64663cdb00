import { MAX_CLOCK_TOLERANCE_SECONDS, type Logger } from '@gatehouse/shared';
import type { RevocationRecorder } from './revocation-recorder.js';

/** One thing that ended access: a session or grant (`sid`), or all of a user's or client's (`sub`). */
export type EndedAccess =
  | { readonly sid: string; readonly reason: string }
  | { readonly sub: string; readonly reason: string };

/** Tells the APIs that access ended (the revocation feed); every ending event calls it. */
export type AccessEnded = (access: EndedAccess) => Promise<void>;

/**
 * How long an entry must stay in the feed: as long as the longest access token it can affect
 * (the longest token lifetime, in seconds), plus the verifiers' clock tolerance.
 */
export function revocationLifetimeMs(...tokenLifetimesSeconds: number[]): number {
  // A verifier accepts a token up to its clock tolerance after `exp`; shared's verifier allows
  // at most MAX_CLOCK_TOLERANCE_SECONDS.
  return (Math.max(...tokenLifetimesSeconds) + MAX_CLOCK_TOLERANCE_SECONDS) * 1000;
}

/**
 * What the CLIs record for: they do not read ACCESS_TOKEN_TTL (only DATA_DIR), so their
 * entries outlive the longest lifetime it allows (86400 s); CLI events are rare.
 */
export const CLI_REVOCATION_LIFETIME_MS = revocationLifetimeMs(86_400);

/**
 * Records ended access in the revocation feed, at `now`, for `lifetimeMs`
 * (revocationLifetimeMs), and writes the audit line. The stores have already ended the
 * session or grant; this is what makes the APIs refuse its access tokens before they expire.
 *
 * @example
 * const ended = recordEndedAccess({ revocations, now, lifetimeMs: revocationLifetimeMs(600), logger });
 * await ended({ sub: user.id, reason: 'user_disabled' });
 */
export function recordEndedAccess(options: {
  revocations: RevocationRecorder;
  now: () => number;
  lifetimeMs: number;
  logger?: Pick<Logger, 'info'>;
}): AccessEnded {
  const { revocations, now, lifetimeMs, logger } = options;
  return async (access) => {
    const at = now();
    await revocations.record({ ...access, at, expiresAt: at + lifetimeMs });
    logger?.info({ audit: 'access_ended', ...access }, 'access ended');
  };
}
