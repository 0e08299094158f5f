// /products, /products/{id} and /products/batch.
import { itemArgs, productCollectionArgs, productWriteArgs } from './arg-schemas';
import { batchItemCount, runBatch } from './batch';
import { absint, isSet, phpStrval, wcStringToBool } from './coerce';
import { invalidId, variationViaProductsRoute } from './errors';
import { compareBy, listFilters, orderedProductIds, readOrdering, wantsAnyStatus } from './list-query';
import type { ProductRecord } from './model';
import { listHeaders, pageSlice, readPaging } from './pagination';
import { canBatch, canCreate, canDelete, canEdit, canList, canView } from './permissions';
import { renderProduct } from './product-shape';
import { type ApiResult, CREATE, DELETE, EDIT, type HandlerContext, READ, type Route, wcRoute } from './router';
import { restUrl, WC_NAMESPACE } from './site';
import { phpMapToObject } from './php-query';
import { collectionContext, listEnv, requestedContext } from './route-helpers';
import type { Params } from './write-common';

/** `?sku=` is exact, takes a comma list (plus the whole string) and also finds variations. */
function skuCandidates(ctx: HandlerContext, sku: string): ProductRecord[] {
  const parts = sku.split(',');
  if (parts.length > 1) parts.push(sku);
  const found = new Map<number, ProductRecord>();
  for (const part of parts) for (const r of ctx.store.bySku(part)) found.set(r.id, r);
  return [...found.values()];
}

/** Matching ids in order; the common unfiltered case is served from the cached ordering. */
function matchingIds(ctx: HandlerContext): number[] {
  const p = ctx.params;
  const env = listEnv(ctx);
  const ordering = readOrdering(p, false);
  if (isSet(p.sku) && phpStrval(p.sku) !== '') {
    const filters = listFilters(env, p);
    return skuCandidates(ctx, phpStrval(p.sku))
      .filter((r) => filters.every((f) => f(r)))
      .sort(compareBy(env, ordering))
      .map((r) => r.id);
  }
  const visibleOnly = wantsAnyStatus(p);
  const ids = orderedProductIds(env, ordering, visibleOnly);
  const filters = listFilters(env, p, false);
  if (filters.length === 0) return ids;
  return ids.filter((id) => {
    const r = ctx.store.get(id);
    return r !== undefined && filters.every((f) => f(r));
  });
}

function listProducts(ctx: HandlerContext): ApiResult {
  const ids = matchingIds(ctx);
  const paging = readPaging(ctx.params);
  const shape = ctx.shape(collectionContext(ctx.params));
  const page = pageSlice(ids, paging)
    .map((id) => ctx.store.get(id))
    .filter((r): r is ProductRecord => r !== undefined);
  return {
    status: 200,
    body: page.map((r) => renderProduct(shape, r)),
    headers: listHeaders(ctx.site, `${WC_NAMESPACE}/products`, ctx.api.query, paging, ids.length),
  };
}

function targetId(ctx: HandlerContext): number {
  return absint(ctx.params.id);
}

const exists = (ctx: HandlerContext): boolean => ctx.store.get(targetId(ctx)) !== undefined;

function getProduct(ctx: HandlerContext): ApiResult {
  const r = ctx.store.get(targetId(ctx));
  if (!r) throw invalidId('product', 404);
  return { status: 200, body: renderProduct(ctx.shape(requestedContext(ctx.params)), r) };
}

function createProduct(ctx: HandlerContext): ApiResult {
  const r = ctx.catalog.createProduct(ctx.env, ctx.params);
  return {
    status: 201,
    body: renderProduct(ctx.shape('edit'), r),
    headers: { Location: restUrl(ctx.site, `${WC_NAMESPACE}/products/${r.id}`) },
  };
}

function updateProduct(ctx: HandlerContext): ApiResult {
  const r = ctx.catalog.updateProduct(ctx.env, targetId(ctx), ctx.params);
  return { status: 200, body: renderProduct(ctx.shape('edit'), r) };
}

/** The answer is the product as it was before the delete. */
function deleteProduct(ctx: HandlerContext, id: number, force: boolean): unknown {
  const r = ctx.store.get(id);
  if (!r) throw invalidId('product', 404);
  if (r.type === 'variation') throw variationViaProductsRoute();
  const body = renderProduct(ctx.shape('edit'), r);
  ctx.catalog.deleteProduct(ctx.env, id, force);
  return body;
}

function batchProducts(ctx: HandlerContext): ApiResult {
  const query = phpMapToObject(ctx.api.query);
  const edit = ctx.shape('edit');
  return runBatch(ctx, {
    create: (item: Params) => renderProduct(edit, ctx.catalog.createProduct(ctx.env, { ...query, ...item })),
    update: (item: Params) => renderProduct(edit, ctx.catalog.updateProduct(ctx.env, absint(item.id), item)),
    delete: (id: number) => deleteProduct(ctx, id, true),
  });
}

export const productRoutes: Route[] = [
  wcRoute('/products', [
    { methods: READ, args: productCollectionArgs, permission: canList, handle: listProducts },
    { methods: CREATE, args: productWriteArgs, permission: canCreate, handle: createProduct, objects: () => 1 },
  ]),
  wcRoute('/products/batch', [
    { methods: EDIT, permission: canBatch, handle: batchProducts, objects: batchItemCount },
  ]),
  wcRoute('/products/{id}', [
    { methods: READ, args: itemArgs, permission: canView(exists), handle: getProduct },
    { methods: EDIT, args: productWriteArgs, permission: canEdit(exists), handle: updateProduct, objects: () => 1 },
    {
      methods: DELETE,
      args: itemArgs,
      permission: canDelete(exists),
      handle: (ctx) => ({ status: 200, body: deleteProduct(ctx, targetId(ctx), isSet(ctx.params.force) && wcStringToBool(ctx.params.force)) }),
      objects: () => 1,
    },
  ]),
];
