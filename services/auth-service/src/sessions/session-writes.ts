import { randomUUID } from 'node:crypto';
import type { Context } from 'koa';
import type { SessionStore } from './session-store.js';
import { rememberSessionUser } from './session-user.js';

/** What koa-session passes with every store call. */
interface StoreCallOptions {
  ctx: Context;
}

/** Per request: the session ids minted in it, and whether its changes are kept out. */
interface RequestWrites {
  readonly minted: Set<string>;
  discarded: boolean;
}

const requests = new WeakMap<Context, RequestWrites>();

function writesOf(ctx: Context): RequestWrites {
  let writes = requests.get(ctx);
  if (!writes) {
    writes = { minted: new Set(), discarded: false };
    requests.set(ctx, writes);
  }
  return writes;
}

/**
 * koa-session's store and id generator over a SessionStore. Enforces:
 * - a session is created only under an id minted in the same request (a first visit, a
 *   regenerated session after sign-in); an id that came in with a cookie is only ever
 *   updated, and only while its session lives, so a sign-out (or an end on the account page,
 *   or an expiry) that lands while a slow request holds the session is final: that request's
 *   save at its end writes nothing (koa-session saves after every request, errors included);
 * - a request marked with `discardSessionChanges` writes nothing at all.
 * Reading a session also reads its user, in one statement (session-user.ts).
 *
 * @example
 * const writes = sessionWrites(store);
 * session({ store: writes.store, genid: writes.genid, ... }, app);
 */
export function sessionWrites(
  store: Pick<SessionStore, 'getWithUser' | 'create' | 'update' | 'destroy'>,
) {
  return {
    genid(ctx: Context): string {
      const id = randomUUID();
      writesOf(ctx).minted.add(id);
      return id;
    },
    store: {
      // The session's user comes with it, for requireSignedInUser (session-user.ts).
      async get(id: string, _maxAge: number, { ctx }: StoreCallOptions) {
        const read = await store.getWithUser(id);
        if (!read) return undefined;
        rememberSessionUser(ctx, read.userId, read.user);
        return read.data;
      },
      async set(
        id: string,
        data: Record<string, unknown>,
        _maxAge: number,
        { ctx }: StoreCallOptions,
      ) {
        const writes = writesOf(ctx);
        if (writes.discarded) return;
        // A minted id is created once; a second save in the same request (after regenerate)
        // is an update like any other.
        if (writes.minted.delete(id)) await store.create(id, data);
        else await store.update(id, data);
      },
      destroy: (id: string) => store.destroy(id),
    },
  };
}

/**
 * This request's changes to its session are not saved: the stored session stays exactly as
 * the request found it (a refused sign-in callback in a signed-in session).
 */
export function discardSessionChanges(ctx: Context): void {
  writesOf(ctx).discarded = true;
}
