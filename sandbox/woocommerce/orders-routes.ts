// /orders, /orders/{id} and /orders/batch.
import { itemArgs, orderCollectionArgs, orderWriteArgs } from './arg-schemas';
import { batchItemCount, runBatch } from './batch';
import { absint, isSet, wcStringToBool } from './coerce';
import { invalidId } from './errors';
import type { OrderRecord } from './order-model';
import { queryOrders } from './order-query';
import { renderOrder } from './order-shape';
import { listHeaders, readPaging } from './pagination';
import { phpMapToObject } from './php-query';
import { canBatch, canCreate, canDelete, canEdit, canList, canView } from './permissions';
import { type ApiResult, CREATE, DELETE, EDIT, type HandlerContext, READ, type Route, wcRoute } from './router';
import { restUrl, WC_NAMESPACE } from './site';
import type { Params } from './write-common';

/** The `dp` param: decimals of money strings (default 2). */
const dpOf = (p: Params): number => (isSet(p.dp) ? absint(p.dp) : 2);

function render(ctx: HandlerContext, o: OrderRecord): Record<string, unknown> {
  return renderOrder({ store: ctx.store, site: ctx.site, dp: dpOf(ctx.params) }, o);
}

function listOrders(ctx: HandlerContext): ApiResult {
  const paging = readPaging(ctx.params);
  const page = queryOrders(ctx.store.orderBook, ctx.params, paging, ctx.site.tzOffsetMinutes);
  return {
    status: 200,
    body: page.items.map((o) => render(ctx, o)),
    headers: listHeaders(ctx.site, `${WC_NAMESPACE}/orders`, ctx.api.query, paging, page.total),
  };
}

const targetId = (ctx: HandlerContext): number => absint(ctx.params.id);
const exists = (ctx: HandlerContext): boolean => ctx.store.orderBook.get(targetId(ctx)) !== undefined;

function getOrder(ctx: HandlerContext): ApiResult {
  const order = ctx.store.orderBook.get(targetId(ctx));
  if (!order) throw invalidId('shop_order', 404);
  return { status: 200, body: render(ctx, order) };
}

function createOrder(ctx: HandlerContext): ApiResult {
  const o = ctx.orders.create(ctx.env, ctx.params, { createdVia: 'rest-api' });
  return { status: 201, body: render(ctx, o), headers: { Location: restUrl(ctx.site, `${WC_NAMESPACE}/orders/${o.id}`) } };
}

function updateOrder(ctx: HandlerContext): ApiResult {
  return { status: 200, body: render(ctx, ctx.orders.update(ctx.env, targetId(ctx), ctx.params)) };
}

/** The answer is the order as it was before the delete. */
function deleteOrder(ctx: HandlerContext, id: number, force: boolean): unknown {
  return render(ctx, ctx.orders.delete(ctx.env, id, force));
}

function batchOrders(ctx: HandlerContext): ApiResult {
  const query = phpMapToObject(ctx.api.query);
  return runBatch(ctx, {
    create: (item) => render(ctx, ctx.orders.create(ctx.env, { ...query, ...item }, { createdVia: 'rest-api' })),
    update: (item) => render(ctx, ctx.orders.update(ctx.env, absint(item.id), item)),
    delete: (id) => deleteOrder(ctx, id, true),
  });
}

export const orderRoutes: Route[] = [
  wcRoute('/orders', [
    { methods: READ, args: orderCollectionArgs, permission: canList, handle: listOrders },
    { methods: CREATE, args: orderWriteArgs, permission: canCreate, handle: createOrder, objects: () => 1 },
  ]),
  wcRoute('/orders/batch', [{ methods: EDIT, permission: canBatch, handle: batchOrders, objects: batchItemCount }]),
  wcRoute('/orders/{id}', [
    { methods: READ, args: itemArgs, permission: canView(exists), handle: getOrder },
    { methods: EDIT, args: orderWriteArgs, permission: canEdit(exists), handle: updateOrder, objects: () => 1 },
    {
      methods: DELETE,
      args: itemArgs,
      permission: canDelete(exists),
      handle: (ctx) => ({ status: 200, body: deleteOrder(ctx, targetId(ctx), isSet(ctx.params.force) && wcStringToBool(ctx.params.force)) }),
      objects: () => 1,
    },
  ]),
];
