// /products/{product_id}/variations, .../{id} and .../batch.
import { itemArgs, variationCollectionArgs, variationWriteArgs } from './arg-schemas';
import { batchItemCount, runBatch } from './batch';
import { absint, isSet, phpStrval, wcStringToBool } from './coerce';
import { WpError, invalidId } from './errors';
import { compareBy, listFilters, readOrdering } from './list-query';
import type { ProductRecord } from './model';
import { listHeaders, pageSlice, readPaging } from './pagination';
import { canBatch, canCreate, canDelete, canEdit, canList, canView } from './permissions';
import { collectionContext, listEnv, requestedContext } from './route-helpers';
import { type ApiResult, CREATE, DELETE, EDIT, type HandlerContext, READ, type Route, wcRoute } from './router';
import { restUrl, WC_NAMESPACE } from './site';
import { renderVariation } from './variation-shape';
import type { Params } from './write-common';

const productId = (ctx: HandlerContext): number => absint(ctx.params.product_id);
const variationId = (ctx: HandlerContext): number => absint(ctx.params.id);
const exists = (ctx: HandlerContext): boolean => ctx.store.variation(variationId(ctx)) !== undefined;

function listVariations(ctx: HandlerContext): ApiResult {
  const p = ctx.params;
  const env = listEnv(ctx);
  const pid = productId(ctx);
  const filters = listFilters(env, { ...p, type: undefined });
  if (isSet(p.sku) && phpStrval(p.sku) !== '') {
    const skus = phpStrval(p.sku).split(',').map((s) => s.toLowerCase());
    filters.push((r) => skus.includes(r.sku.toLowerCase()) || r.sku.toLowerCase() === phpStrval(p.sku).toLowerCase());
  }
  const children: ProductRecord[] = [];
  for (const id of ctx.store.product(pid)?.children ?? []) {
    const r = ctx.store.get(id);
    if (r && filters.every((f) => f(r))) children.push(r);
  }
  children.sort(compareBy(env, readOrdering(p, true)));
  const paging = readPaging(p);
  const shape = ctx.shape(collectionContext(p));
  return {
    status: 200,
    body: pageSlice(children, paging).map((r) => renderVariation(shape, r)),
    headers: listHeaders(ctx.site, `${WC_NAMESPACE}/products/${pid}/variations`, ctx.api.query, paging, children.length),
  };
}

function getVariation(ctx: HandlerContext): ApiResult {
  const r = ctx.store.variation(variationId(ctx));
  if (!r) throw invalidId('product_variation', 404);
  return { status: 200, body: renderVariation(ctx.shape(requestedContext(ctx.params)), r) };
}

function createVariation(ctx: HandlerContext): ApiResult {
  const r = ctx.catalog.createVariation(ctx.env, productId(ctx), ctx.params);
  // WooCommerce builds this header from its route pattern, regex included.
  const location = restUrl(ctx.site, `${WC_NAMESPACE}/products/(?P<product_id>[\\d]+)/variations/${r.id}`);
  return { status: 201, body: renderVariation(ctx.shape('edit'), r), headers: { Location: location } };
}

/** update_item_permissions_check also refuses a variation addressed under another product (403: the key is logged in). */
function updatePermission(ctx: HandlerContext): WpError | undefined {
  const denied = canEdit(exists)(ctx);
  if (denied) return denied;
  const r = ctx.store.variation(variationId(ctx));
  if (r && r.parentId !== productId(ctx)) {
    return new WpError('woocommerce_rest_cannot_edit', 'Parent product does not match current variation.', ctx.authenticated ? 403 : 401);
  }
  return undefined;
}

function updateVariation(ctx: HandlerContext): ApiResult {
  const r = ctx.catalog.updateVariation(ctx.env, variationId(ctx), ctx.params);
  return { status: 200, body: renderVariation(ctx.shape('edit'), r) };
}

function deleteVariation(ctx: HandlerContext, id: number, force: boolean): unknown {
  const r = ctx.store.variation(id);
  if (!r) throw invalidId('product_variation', 404);
  const body = renderVariation(ctx.shape('edit'), r);
  ctx.catalog.deleteVariation(ctx.env, id, force);
  return body;
}

function batchVariations(ctx: HandlerContext): ApiResult {
  const pid = productId(ctx);
  const edit = ctx.shape('edit');
  // product_id is injected into every item; an item's own product_id wins.
  const withParent = (item: Params): Params => ({ product_id: pid, ...item });
  return runBatch(ctx, {
    create: (item) => renderVariation(edit, ctx.catalog.createVariation(ctx.env, absint(withParent(item).product_id), withParent(item))),
    update: (item) => renderVariation(edit, ctx.catalog.updateVariation(ctx.env, absint(item.id), withParent(item))),
    delete: (id) => deleteVariation(ctx, id, true),
  });
}

export const variationRoutes: Route[] = [
  wcRoute('/products/{product_id}/variations', [
    { methods: READ, args: variationCollectionArgs, permission: canList, handle: listVariations },
    { methods: CREATE, args: variationWriteArgs, permission: canCreate, handle: createVariation, objects: () => 1 },
  ]),
  wcRoute('/products/{product_id}/variations/batch', [
    { methods: EDIT, permission: canBatch, handle: batchVariations, objects: batchItemCount },
  ]),
  wcRoute('/products/{product_id}/variations/{id}', [
    { methods: READ, args: itemArgs, permission: canView(exists), handle: getVariation },
    { methods: EDIT, args: variationWriteArgs, permission: updatePermission, handle: updateVariation, objects: () => 1 },
    {
      methods: DELETE,
      args: itemArgs,
      permission: canDelete(exists),
      handle: (ctx) => {
        const force = isSet(ctx.params.force) && wcStringToBool(ctx.params.force);
        const body = deleteVariation(ctx, variationId(ctx), force);
        // Recorded: once the variation is gone, WordPress only allows GET on the route.
        return { status: 200, body, headers: force ? { Allow: 'GET' } : undefined };
      },
      objects: () => 1,
    },
  ]),
];
