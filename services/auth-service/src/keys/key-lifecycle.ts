/**
 * Where a key stands at a given instant. Everything is derived from two stored timestamps per
 * key (created, activates) plus the current time, so key files never change after they are
 * written and every replica reading the same directory reaches the same answer.
 *
 * - `next`: published in the JWKS, not signing yet (verifiers are picking it up);
 * - `active`: the one key that signs: the latest whose activation time has passed;
 * - `retired`: superseded by a later key, still published while tokens it signed can be valid;
 * - `expired`: no token it signed can still be accepted; it is unpublished and can be deleted.
 */
export type KeyState = 'next' | 'active' | 'retired' | 'expired';

export interface KeyTimes {
  readonly kid: string;
  /** Milliseconds since the epoch. */
  readonly createdAt: number;
  readonly activatesAt: number;
}

export type KeyStatus<K extends KeyTimes> = K & {
  readonly state: KeyState;
  /** When a later key took over signing; undefined while none has. */
  readonly retiredAt: number | undefined;
  /** When the key leaves the JWKS: retiredAt plus the longest a token it signed stays valid. */
  readonly unpublishAt: number | undefined;
};

/**
 * The state of every key at `now`, ordered by activation (the signer is the last non-`next`).
 * `retainMs` is how long a retired key stays published: the token lifetime plus clock skew.
 */
export function keyLifecycle<K extends KeyTimes>(
  keys: readonly K[],
  now: number,
  retainMs: number,
): KeyStatus<K>[] {
  const ordered = [...keys].sort(
    (a, b) =>
      a.activatesAt - b.activatesAt || a.createdAt - b.createdAt || a.kid.localeCompare(b.kid),
  );
  return ordered.map((key, index) => {
    const successor = ordered[index + 1];
    // A successor that has not activated yet has not retired this key either.
    const retiredAt = successor && successor.activatesAt <= now ? successor.activatesAt : undefined;
    const unpublishAt = retiredAt === undefined ? undefined : retiredAt + retainMs;
    const state: KeyState =
      key.activatesAt > now
        ? 'next'
        : retiredAt === undefined
          ? 'active'
          : now < (unpublishAt ?? 0)
            ? 'retired'
            : 'expired';
    return { ...key, state, retiredAt, unpublishAt };
  });
}
