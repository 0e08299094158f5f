// Small helpers shared by the route modules.
import { phpStrval } from './coerce';
import type { ListEnv } from './list-query';
import type { HandlerContext } from './router';
import type { RestContext } from './shape-common';
import type { Params } from './write-common';

/** GET answers use the requested context (default "view"); writes always answer in "edit". */
export function requestedContext(p: Params): RestContext {
  return phpStrval(p.context) === 'edit' ? 'edit' : 'view';
}

export const collectionContext = requestedContext;

export function listEnv(ctx: HandlerContext): ListEnv {
  return { store: ctx.store, now: ctx.env.now, tzOffsetMinutes: ctx.site.tzOffsetMinutes };
}
