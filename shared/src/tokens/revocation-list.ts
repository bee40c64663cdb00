/** One entry of the revocation feed, as GET /auth/.well-known/revocations sends it (seconds). */
export interface FeedRevocation {
  readonly sid?: string;
  readonly sub?: string;
  readonly jti?: string;
  readonly at: number;
  readonly exp: number;
}

/** What a token is judged by. */
export interface RevocableToken {
  readonly sub: string;
  readonly jti: string;
  readonly iat: number;
  readonly sid?: string;
}

export interface RevocationList {
  add(entry: FeedRevocation): void;
  /** True when an entry names the token's sid, sub or jti at or after its `iat`. */
  isRevoked(token: RevocableToken, nowSeconds: number): boolean;
  /** Drops entries past their `exp` plus the grace (no token they name is accepted any more). */
  sweep(nowSeconds: number): void;
  readonly size: number;
  /** While overflow evicted entries: tokens issued at or before `at` are refused until `until`. */
  readonly watermark: { at: number; until: number } | undefined;
}

/**
 * The revocations a verifier holds in memory: a Map per kind (sid, sub, jti; three lookups a
 * check), keeping the latest `at` and `exp` per id, so a repeated entry changes nothing.
 * Bounded by `maxEntries`: on overflow the oldest entries are evicted and folded into a
 * watermark that refuses every token issued at or before the newest evicted `at` until the
 * last evicted `exp` has passed. A flood of revocations thus fails closed (holders of old
 * tokens fetch fresh ones), never open, and memory stays bounded.
 *
 * Every entry (and the watermark) is held `graceSeconds` past its `exp`: the verifier's clock
 * tolerance, since it accepts a token that long after the token's `exp`, and a feed's `exp`
 * may be exactly the last token's (an issuer that added no margin).
 *
 * @example
 * const list = createRevocationList(100_000, 30);
 * list.add({ sub: 'u1', at: 1767225600, exp: 1767226260 });
 * list.isRevoked({ sub: 'u1', jti: 'j', iat: 1767225599 }, nowSeconds); // true
 */
export function createRevocationList(maxEntries: number, graceSeconds = 0): RevocationList {
  // One Map per kind, so a check is three lookups without building a key string; `seq` orders
  // entries across the maps for eviction (a Map keeps insertion order, updates keep place).
  const maps = {
    sid: new Map<string, Held>(),
    sub: new Map<string, Held>(),
    jti: new Map<string, Held>(),
  };
  const all = Object.values(maps);
  let size = 0;
  let seq = 0;
  let watermark: { at: number; until: number } | undefined;
  const revokedAfter = (map: Map<string, Held>, id: string, iat: number) => {
    const held = map.get(id);
    return held !== undefined && iat <= held.at;
  };
  const evictOldest = () => {
    let oldest: [Map<string, Held>, string, Held] | undefined;
    for (const map of all) {
      const first = map.entries().next().value;
      if (first && (!oldest || first[1].seq < oldest[2].seq)) oldest = [map, first[0], first[1]];
    }
    const [map, id, held] = oldest!;
    map.delete(id);
    size -= 1;
    watermark = {
      at: Math.max(held.at, watermark?.at ?? -Infinity),
      until: Math.max(held.exp, watermark?.until ?? -Infinity),
    };
  };
  return {
    add(entry) {
      const [map, id] =
        entry.sid !== undefined
          ? [maps.sid, entry.sid]
          : entry.sub !== undefined
            ? [maps.sub, entry.sub]
            : [maps.jti, entry.jti];
      if (id === undefined) return;
      const known = map.get(id);
      if (known) {
        known.at = Math.max(known.at, entry.at);
        known.exp = Math.max(known.exp, entry.exp);
        return;
      }
      map.set(id, { at: entry.at, exp: entry.exp, seq: ++seq });
      size += 1;
      while (size > maxEntries) evictOldest();
    },
    isRevoked(token, nowSeconds) {
      if (
        watermark !== undefined &&
        nowSeconds < watermark.until + graceSeconds &&
        token.iat <= watermark.at
      ) {
        return true;
      }
      if (size === 0) return false;
      return (
        revokedAfter(maps.sub, token.sub, token.iat) ||
        (token.sid !== undefined && revokedAfter(maps.sid, token.sid, token.iat)) ||
        revokedAfter(maps.jti, token.jti, token.iat)
      );
    },
    sweep(nowSeconds) {
      for (const map of all) {
        for (const [id, held] of map) {
          if (held.exp + graceSeconds <= nowSeconds) {
            map.delete(id);
            size -= 1;
          }
        }
      }
      if (watermark !== undefined && watermark.until + graceSeconds <= nowSeconds) {
        watermark = undefined;
      }
    },
    get size() {
      return size;
    },
    get watermark() {
      return watermark;
    },
  };
}

interface Held {
  at: number;
  exp: number;
  readonly seq: number;
}
