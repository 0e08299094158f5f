// SandboxState: what tests read from (and edit in) the store without going through HTTP.
import crypto from 'node:crypto';
import type { WooApp } from './app';
import { orderWriteArgs, productWriteArgs, variationWriteArgs } from './arg-schemas';
import { Catalog } from './catalog';
import { nowSeconds } from './dates';
import { WpError } from './errors';
import type { ProductRecord } from './model';
import type { OrderRecord } from './order-model';
import { OrderSeeder } from './order-seed';
import { renderOrder } from './order-shape';
import { renderProduct } from './product-shape';
import { type ArgSchema, validateArgs } from './schema-validate';
import type { ShapeContext } from './shape-common';
import type { SandboxState } from './types';
import { renderVariation } from './variation-shape';

const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** The checkout's cart hash: md5 of the cart contents. */
const cartHash = (body: Record<string, unknown>): string => crypto.createHash('md5').update(JSON.stringify(body.line_items ?? [])).digest('hex');

export function createStateView(app: WooApp): SandboxState {
  // Edits by the "merchant" are not API writes: no stats, but product webhooks fire.
  const merchant = new Catalog(app.store, undefined, app.webhooks.sink);
  const seeder = new OrderSeeder(app.store);
  const renderOrderView = (o: OrderRecord): any => copy(renderOrder({ store: app.store, site: app.site(false), dp: 2 }, o));
  const shape = (): ShapeContext => ({ store: app.store, site: app.site(false), context: 'edit', now: nowSeconds() });
  const render = (r: ProductRecord): any => copy(r.type === 'variation' ? renderVariation(shape(), r) : renderProduct(shape(), r));
  const edit = <T>(args: Record<string, ArgSchema>, patch: Record<string, unknown>, run: (env: { store: typeof app.store; now: number; tzOffsetMinutes: number }) => T): T => {
    try {
      const invalid = validateArgs(patch, args);
      if (invalid) throw invalid;
      return run({ store: app.store, now: nowSeconds(), tzOffsetMinutes: app.site().tzOffsetMinutes });
    } catch (err) {
      if (err instanceof WpError) throw new Error(`${err.code}: ${err.message}`);
      throw err;
    }
  };
  return {
    products: () =>
      [...app.store.posts.values()]
        .filter((r) => r.type !== 'variation')
        .sort((a, b) => a.id - b.id)
        .map(render),
    product: (id) => {
      const r = app.store.product(id);
      return r ? render(r) : undefined;
    },
    attachments: () => [...app.store.media.items.keys()].sort((a, b) => a - b),
    deleteAttachment: (id) => {
      app.store.media.items.delete(id);
    },
    stockOf: (id) => (app.store.product(id) ?? app.store.variation(id))?.stockQuantity,
    variations: (productId) =>
      (app.store.product(productId)?.children ?? [])
        .map((id) => app.store.variation(id))
        .filter((r): r is ProductRecord => r !== undefined)
        .map(render),
    variation: (productId, id) => {
      const r = app.store.variation(id);
      return r && r.parentId === productId ? render(r) : undefined;
    },
    findBySku: (sku) => {
      const r = app.store.bySku(sku).find((x) => x.status !== 'trash');
      return r ? render(r) : undefined;
    },
    editProduct: (id, patch) => {
      if (!app.store.product(id)) throw new Error(`no product ${id}`);
      edit(productWriteArgs, patch, (env) => merchant.updateProduct(env, id, patch));
    },
    editVariation: (productId, id, patch) => {
      const v = app.store.variation(id);
      if (!v || v.parentId !== productId) throw new Error(`no variation ${id} of product ${productId}`);
      edit(variationWriteArgs, patch, (env) => merchant.updateVariation(env, id, { ...patch, product_id: productId }));
    },
    orders: () => [...app.store.orderBook.orders.values()].sort((a, b) => a.id - b.id).map(renderOrderView),
    order: (id) => {
      const o = app.store.orderBook.get(id);
      return o ? renderOrderView(o) : undefined;
    },
    createOrder: (body) =>
      renderOrderView(
        edit(orderWriteArgs, body, (env) =>
          app.orders.create(env, body, { createdVia: 'checkout', customerIp: '127.0.0.1', userAgent: 'Mozilla/5.0 (sandbox checkout)', cartHash: cartHash(body) }),
        ),
      ),
    updateOrder: (id, patch) => renderOrderView(edit(orderWriteArgs, patch, (env) => app.orders.update(env, id, patch))),
    deleteOrder: (id) => void edit({}, {}, (env) => app.orders.delete(env, id, true)),
    deleteProduct: (id) => {
      if (!app.store.product(id)) throw new Error(`no product ${id}`);
      edit({}, {}, (env) => merchant.deleteProduct(env, id, true));
    },
    seedOrders: (opts) => seeder.seed(opts),
  };
}
