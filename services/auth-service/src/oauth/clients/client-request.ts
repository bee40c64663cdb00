import type { Logger } from '@gatehouse/shared';
import type { Context } from 'koa';
import type { ClientRequest } from './authenticate-client.js';

/** What client authentication reads from an OAuth client's request, its form already read. */
export function clientRequest(ctx: Context, form: URLSearchParams): ClientRequest {
  return {
    form,
    authorization: ctx.get('Authorization') || undefined,
    ip: ctx.ip,
    log: ctx.state.log as Logger,
  };
}
