import type { StoredKey } from './key-directory.js';
import { keyLifecycle } from './key-lifecycle.js';
import type { KeyRepository } from './key-repository.js';
import { generatePrivateKey, type SigningAlg } from './signing-alg.js';
import { signingKeyFromKeyObject } from './signing-key.js';

/** A rotation that cannot happen now; `code` says why. */
export class RotationError extends Error {
  constructor(
    readonly code: 'ERR_ROTATION_PENDING',
    message: string,
  ) {
    super(message);
    this.name = 'RotationError';
  }
}

export interface RotationResult {
  readonly key: StoredKey;
  /** True when no key could sign, so the new one signs at once. */
  readonly immediate: boolean;
  /** Kids of expired keys deleted on the way. */
  readonly pruned: readonly string[];
}

export interface RotationOptions {
  repository: KeyRepository;
  alg: SigningAlg;
  now: number;
  publishDelayMs: number;
  retainMs: number;
}

/**
 * Adds a key to the repository that is published now and signs `publishDelayMs` later, then
 * the previous signer retires by itself. With no signer at all (a fresh production install) the key
 * signs at once: nothing was published, so no verifier can be caching a stale set. One rotation
 * at a time: a key still waiting to activate must activate first. An unreadable stored key
 * stops the rotation with its reason. The whole decision runs under the repository's lock,
 * so two rotations at once (two operators, a CLI on each replica) cannot both add a key.
 */
export async function rotateSigningKey(options: RotationOptions): Promise<RotationResult> {
  return options.repository.exclusive((repository) => rotateLocked({ ...options, repository }));
}

async function rotateLocked(options: RotationOptions): Promise<RotationResult> {
  const { repository, now } = options;
  const listing = await repository.list();
  if (listing.problems[0]) throw listing.problems[0].error;
  const statuses = keyLifecycle(listing.keys, now, options.retainMs);
  const pending = statuses.find((status) => status.state === 'next');
  if (pending) {
    throw new RotationError(
      'ERR_ROTATION_PENDING',
      `key ${pending.kid} is already waiting to sign from ${new Date(pending.activatesAt).toISOString()}; ` +
        'rotate again after that',
    );
  }
  const pruned = statuses.filter((status) => status.state === 'expired').map(({ kid }) => kid);
  for (const kid of pruned) await repository.remove(kid);
  const immediate = !statuses.some((status) => status.state === 'active');
  const key: StoredKey = {
    ...signingKeyFromKeyObject(generatePrivateKey(options.alg), options.alg),
    createdAt: now,
    activatesAt: immediate ? now : now + options.publishDelayMs,
  };
  await repository.add(key);
  return { key, immediate, pruned };
}
