import assert from 'node:assert/strict';
import { createOrder, orderAt, smallShop, stockOf } from './helpers/orders';
import { createProduct, useSandbox } from './helpers/sandbox';
import { woo } from './helpers/woo-http';

describe('WooCommerce sandbox: orders', () => {
  const sandbox = useSandbox();

  it('creates an order from product_id, variation_id and sku lines, with set_paid taking the stock', async () => {
    const shop = await smallShop(sandbox());
    const res = await woo(sandbox(), {
      method: 'POST',
      path: '/orders',
      body: {
        set_paid: true,
        billing: { first_name: 'Ada', email: 'ada@example.com' },
        line_items: [
          { product_id: shop.tee.id, quantity: 2 },
          { product_id: shop.hoodie.id, variation_id: shop.medium.id, quantity: 1 },
          { sku: 'HOOD-S', quantity: 3 },
        ],
        shipping_lines: [{ method_id: 'flat_rate', method_title: 'Flat Rate', total: '5.00' }],
      },
    });
    assert.equal(res.status, 201);
    const o = res.body;
    assert.equal(res.headers.get('location'), `${sandbox().url}/wp-json/wc/v3/orders/${o.id}`);
    assert.equal(o.status, 'processing');
    assert.equal(o.created_via, 'rest-api');
    assert.equal(o.total, '162.00');
    assert.equal(o.shipping_total, '5.00');
    assert.equal(o.number, String(o.id));
    assert.match(o.order_key, /^wc_order_[A-Za-z0-9]{13}$/);
    assert.ok(o.date_paid && o.date_paid_gmt, 'paid now');
    assert.equal(o.date_completed, null);
    assert.equal(o.billing.last_name, '', 'address keys not sent are empty strings');
    const [tee, medium, small] = o.line_items;
    assert.deepEqual([tee.sku, tee.price, tee.subtotal, tee.total, tee.quantity], ['TEE', 18, '36.00', '36.00', 2]);
    assert.deepEqual([medium.product_id, medium.variation_id, medium.name, medium.parent_name], [shop.hoodie.id, shop.medium.id, 'Hoodie HOOD - M', 'Hoodie HOOD']);
    assert.deepEqual(medium.meta_data.map((m: any) => [m.key, m.value, m.display_key, m.display_value]), [['size', 'M', 'Size', 'M'], ['_reduced_stock', '1', '_reduced_stock', '1']]);
    assert.equal(small.sku, 'HOOD-S');
    assert.equal(typeof small.price, 'number');
    assert.equal(await stockOf(sandbox(), shop.tee.id), 5);
    assert.equal(await stockOf(sandbox(), shop.hoodie.id, shop.medium.id), 5);
    assert.equal(await stockOf(sandbox(), shop.hoodie.id, shop.small.id), 2);
    assert.equal((await woo(sandbox(), { path: `/products/${shop.tee.id}` })).body.total_sales, 2);
  });

  it('takes no stock for a pending order; on-hold, processing or completed take it once', async () => {
    const shop = await smallShop(sandbox());
    const pending = await createOrder(sandbox(), { line_items: [{ product_id: shop.tee.id, quantity: 1 }] });
    assert.equal(pending.status, 'pending');
    assert.equal(pending.needs_payment, true);
    assert.equal(pending.date_paid, null);
    assert.equal(await stockOf(sandbox(), shop.tee.id), 7);
    await woo(sandbox(), { method: 'PUT', path: `/orders/${pending.id}`, body: { status: 'on-hold' } });
    assert.equal(await stockOf(sandbox(), shop.tee.id), 6);
    const done = await woo(sandbox(), { method: 'PUT', path: `/orders/${pending.id}`, body: { status: 'completed' } });
    assert.equal(await stockOf(sandbox(), shop.tee.id), 6, 'already reduced');
    assert.ok(done.body.date_completed && done.body.date_paid);
  });

  it('restores stock when an order is cancelled and takes it again when it is paid again', async () => {
    const shop = await smallShop(sandbox());
    const o = await createOrder(sandbox(), { status: 'processing', line_items: [{ product_id: shop.tee.id, quantity: 2 }, { variation_id: shop.small.id, quantity: 1 }] });
    assert.equal(await stockOf(sandbox(), shop.tee.id), 5);
    const cancelled = await woo(sandbox(), { method: 'PUT', path: `/orders/${o.id}`, body: { status: 'cancelled' } });
    assert.equal(cancelled.body.status, 'cancelled');
    assert.equal(await stockOf(sandbox(), shop.tee.id), 7);
    assert.equal(await stockOf(sandbox(), shop.hoodie.id, shop.small.id), 5);
    assert.deepEqual(cancelled.body.line_items[0].meta_data, [], '_reduced_stock is removed');
    const notes = (await woo(sandbox(), { path: `/orders/${o.id}/notes` })).body.map((n: any) => n.note);
    assert.ok(notes.includes('Stock levels increased: Rig Simple Tee (TEE) 5&rarr;7, Hoodie HOOD - S (HOOD-S)<span class="description"></span> 4&rarr;5'), notes.join('\n'));
    assert.ok(notes.includes('Order status changed from Processing to Cancelled.'));
    await woo(sandbox(), { method: 'PUT', path: `/orders/${o.id}`, body: { status: 'processing' } });
    assert.equal(await stockOf(sandbox(), shop.tee.id), 5);
  });

  it('records a full refund when an order becomes refunded, without restocking (as WooCommerce)', async () => {
    const shop = await smallShop(sandbox());
    const o = await createOrder(sandbox(), { set_paid: true, line_items: [{ product_id: shop.tee.id, quantity: 1 }] });
    const res = await woo(sandbox(), { method: 'PUT', path: `/orders/${o.id}`, body: { status: 'refunded' } });
    assert.equal(res.body.status, 'refunded');
    assert.equal(res.body.refunds.length, 1);
    assert.deepEqual([res.body.refunds[0].reason, res.body.refunds[0].total], ['Order fully refunded.', '-18.00']);
    assert.equal(await stockOf(sandbox(), shop.tee.id), 6);
  });

  it('moves no stock when the quantity of a line of a paid order changes through REST (as the real store), without recomputing its total', async () => {
    const shop = await smallShop(sandbox());
    const o = await createOrder(sandbox(), { set_paid: true, line_items: [{ product_id: shop.tee.id, quantity: 1 }] });
    await new Promise((r) => setTimeout(r, 1100));
    const res = await woo(sandbox(), { method: 'PUT', path: `/orders/${o.id}`, body: { line_items: [{ id: o.line_items[0].id, quantity: 3 }], customer_note: 'Leave at the door' } });
    assert.equal(res.status, 200);
    assert.equal(res.body.line_items[0].quantity, 3);
    assert.equal(res.body.line_items[0].total, '18.00', 'WooCommerce keeps the total unless it is sent');
    assert.equal(res.body.customer_note, 'Leave at the door');
    assert.equal(await stockOf(sandbox(), shop.tee.id), 6, 'only wp-admin adjusts line stock (wc_maybe_adjust_line_item_product_stock)');
    assert.ok(res.body.date_modified_gmt > o.date_modified_gmt, 'date_modified moves on update');
    assert.equal(res.body.date_created_gmt, o.date_created_gmt);
  });

  it('shows the current SKU of a line, and null once its product is deleted', async () => {
    const shop = await smallShop(sandbox());
    const o = await createOrder(sandbox(), { line_items: [{ product_id: shop.tee.id, quantity: 1 }, { variation_id: shop.medium.id, quantity: 1 }] });
    await woo(sandbox(), { method: 'PUT', path: `/products/${shop.tee.id}`, body: { sku: 'TEE-NEW' } });
    let got = (await woo(sandbox(), { path: `/orders/${o.id}` })).body;
    assert.equal(got.line_items[0].sku, 'TEE-NEW');
    sandbox().state.deleteProduct(shop.tee.id);
    await woo(sandbox(), { method: 'DELETE', path: `/products/${shop.hoodie.id}/variations/${shop.medium.id}`, query: { force: true } });
    got = (await woo(sandbox(), { path: `/orders/${o.id}` })).body;
    const [tee, medium] = got.line_items;
    assert.deepEqual([tee.sku, tee.name, tee.product_id, tee.image, tee.parent_name], [null, 'Rig Simple Tee', shop.tee.id, { id: 0, src: '' }, null]);
    assert.deepEqual([medium.sku, medium.variation_id, medium.parent_name], [null, shop.medium.id, null]);
    assert.equal(sandbox().state.order(o.id).line_items[0].sku, null);
  });

  it('answers 404 / 400 / 410 like the orders controller', async () => {
    const shop = await smallShop(sandbox());
    const missing = await woo(sandbox(), { path: '/orders/999999' });
    assert.deepEqual([missing.status, missing.body.code], [404, 'woocommerce_rest_shop_order_invalid_id']);
    const put = await woo(sandbox(), { method: 'PUT', path: '/orders/999999', body: { status: 'completed' } });
    assert.deepEqual([put.status, put.body.code], [400, 'woocommerce_rest_shop_order_invalid_id']);
    const noRef = await woo(sandbox(), { method: 'POST', path: '/orders', body: { line_items: [{ quantity: 1 }] } });
    assert.deepEqual([noRef.status, noRef.body.code, noRef.body.message], [400, 'woocommerce_rest_required_product_reference', 'Product ID or SKU is required.']);
    const badTotal = await woo(sandbox(), { method: 'POST', path: '/orders', body: { line_items: [{ product_id: shop.tee.id, total: 10 }] } });
    assert.equal(badTotal.body.code, 'rest_invalid_param');
    assert.equal(badTotal.body.data.params.line_items, 'line_items[0][total] is not of type string.');
    const badStatus = await woo(sandbox(), { method: 'POST', path: '/orders', body: { status: 'shipped' } });
    assert.equal(badStatus.body.code, 'rest_invalid_param');
    const coupon = await woo(sandbox(), { method: 'POST', path: '/orders', body: { coupon_lines: [{ code: 'SAVE10' }] } });
    assert.deepEqual([coupon.status, coupon.body.code], [400, 'woocommerce_rest_invalid_coupon']);
    assert.equal(sandbox().state.orders().length, 0, 'failed creates store nothing');
    const o = await createOrder(sandbox(), { line_items: [{ product_id: shop.tee.id }] });
    const wrongItem = await woo(sandbox(), { method: 'PUT', path: `/orders/${o.id}`, body: { line_items: [{ id: 9999, quantity: 2 }] } });
    assert.deepEqual([wrongItem.status, wrongItem.body.code], [400, 'woocommerce_rest_invalid_item_id']);
  });

  it('trashes without force (answering the order as it was), then 410; force deletes for good', async () => {
    const shop = await smallShop(sandbox());
    const o = await createOrder(sandbox(), { status: 'processing', line_items: [{ product_id: shop.tee.id }] });
    const trash = await woo(sandbox(), { method: 'DELETE', path: `/orders/${o.id}` });
    assert.equal(trash.status, 200);
    assert.equal(trash.body.status, 'processing');
    assert.equal((await woo(sandbox(), { path: `/orders/${o.id}` })).body.status, 'trash');
    assert.equal((await woo(sandbox(), { path: '/orders' })).headers.get('x-wp-total'), '0', 'the trash is not listed');
    assert.equal((await woo(sandbox(), { path: '/orders', query: { status: 'trash' } })).body.length, 1);
    const again = await woo(sandbox(), { method: 'DELETE', path: `/orders/${o.id}` });
    assert.deepEqual([again.status, again.body.code, again.body.message], [410, 'woocommerce_rest_already_trashed', 'The shop_order has already been deleted.']);
    const force = await woo(sandbox(), { method: 'DELETE', path: `/orders/${o.id}`, query: { force: true } });
    assert.equal(force.status, 200);
    assert.equal((await woo(sandbox(), { path: `/orders/${o.id}` })).status, 404);
  });

  it('batch-creates, updates and deletes orders', async () => {
    const shop = await smallShop(sandbox());
    const a = await createOrder(sandbox(), { line_items: [{ product_id: shop.tee.id }] });
    const b = await createOrder(sandbox(), { line_items: [{ product_id: shop.tee.id }] });
    const res = await woo(sandbox(), {
      method: 'POST',
      path: '/orders/batch',
      body: { create: [{ line_items: [{ sku: 'HOOD-M' }] }], update: [{ id: a.id, status: 'completed' }, { id: 999999, status: 'completed' }], delete: [b.id] },
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.create[0].line_items[0].sku, 'HOOD-M');
    assert.equal(res.body.update[0].status, 'completed');
    assert.equal(res.body.update[1].error.code, 'woocommerce_rest_shop_order_invalid_id');
    assert.equal(res.body.delete[0].id, b.id);
    assert.equal((await woo(sandbox(), { path: `/orders/${b.id}` })).status, 404, 'batch deletes are permanent');
  });

  it('keeps order notes: create, list by type, get, and delete only with force', async () => {
    const shop = await smallShop(sandbox());
    const o = await createOrder(sandbox(), { set_paid: true, line_items: [{ product_id: shop.tee.id }] });
    const missing = await woo(sandbox(), { method: 'POST', path: `/orders/${o.id}/notes`, body: {} });
    assert.deepEqual([missing.status, missing.body.code, missing.body.message], [400, 'rest_missing_callback_param', 'Missing parameter(s): note']);
    const created = await woo(sandbox(), { method: 'POST', path: `/orders/${o.id}/notes`, body: { note: 'Shipped', customer_note: true } });
    assert.equal(created.status, 201);
    assert.equal(created.headers.get('location'), `${sandbox().url}/wp-json/wc/v3/orders/${o.id}/notes/${created.body.id}`);
    assert.deepEqual([created.body.author, created.body.customer_note], ['WooCommerce', true]);
    const all = await woo(sandbox(), { path: `/orders/${o.id}/notes` });
    assert.equal(all.body.length, 3, 'stock note, status note and ours');
    assert.equal((await woo(sandbox(), { path: `/orders/${o.id}/notes`, query: { type: 'customer' } })).body.length, 1);
    assert.equal((await woo(sandbox(), { path: `/orders/${o.id}/notes`, query: { type: 'internal' } })).body.length, 2);
    assert.equal((await woo(sandbox(), { path: `/orders/${o.id}/notes/${created.body.id}` })).body.note, 'Shipped');
    const soft = await woo(sandbox(), { method: 'DELETE', path: `/orders/${o.id}/notes/${created.body.id}` });
    assert.deepEqual([soft.status, soft.body.code], [501, 'woocommerce_rest_trash_not_supported']);
    const del = await woo(sandbox(), { method: 'DELETE', path: `/orders/${o.id}/notes/${created.body.id}`, query: { force: true } });
    assert.equal(del.status, 200);
    const gone = await woo(sandbox(), { path: `/orders/${o.id}/notes/${created.body.id}` });
    assert.deepEqual([gone.status, gone.body.code], [404, 'woocommerce_rest_invalid_id']);
    const noOrder = await woo(sandbox(), { path: '/orders/999999/notes' });
    assert.deepEqual([noOrder.status, noOrder.body.code], [404, 'woocommerce_rest_shop_order_invalid_id']);
  });

  it('lets a test create orders as a customer checkout and edit them as the merchant', async () => {
    const shop = await smallShop(sandbox());
    const o = sandbox().state.createOrder({ set_paid: true, line_items: [{ sku: 'TEE', quantity: 2 }] });
    assert.equal(o.created_via, 'checkout');
    assert.equal(o.status, 'processing');
    assert.equal(await stockOf(sandbox(), shop.tee.id), 5);
    const done = sandbox().state.updateOrder(o.id, { status: 'completed' });
    assert.equal(done.status, 'completed');
    assert.throws(() => sandbox().state.updateOrder(o.id, { status: 'bogus' }), /rest_invalid_param/);
    assert.equal(sandbox().stats().byRoute['POST /orders'], undefined, 'state helpers make no API requests');
    assert.deepEqual(sandbox().state.orders().map((x: any) => x.id), [o.id]);
  });
});

describe('WooCommerce sandbox: listing orders', () => {
  const sandbox = useSandbox({ timezoneOffsetMinutes: 180 });

  it('pages with X-WP-Total, X-WP-TotalPages and Link prev/next; per_page is 1..100, default 10', async () => {
    await createProduct(sandbox(), { name: 'Tee', sku: 'T', regular_price: '10' });
    sandbox().seedOrders({ count: 25, createdBefore: new Date(), statusWeights: { completed: 1 } });
    const p1 = await woo(sandbox(), { path: '/orders' });
    assert.equal(p1.body.length, 10);
    assert.equal(p1.headers.get('x-wp-total'), '25');
    assert.equal(p1.headers.get('x-wp-totalpages'), '3');
    assert.match(p1.headers.get('link') ?? '', /[?&]page=2>; rel="next"$/);
    const p3 = await woo(sandbox(), { path: '/orders', query: { page: 3 } });
    assert.equal(p3.body.length, 5);
    assert.match(p3.headers.get('link') ?? '', /\?page=2&[^>]*>; rel="prev"$/);
    for (const perPage of [0, 101]) {
      const bad = await woo(sandbox(), { path: '/orders', query: { per_page: perPage } });
      assert.deepEqual([bad.status, bad.body.code], [400, 'rest_invalid_param']);
    }
    const all = await woo(sandbox(), { path: '/orders', query: { per_page: 100 } });
    const created = all.body.map((o: any) => `${o.date_created_gmt}#${String(o.id).padStart(6, '0')}`);
    assert.deepEqual(created, [...created].sort().reverse(), 'newest first, ties by id');
    const fields = await woo(sandbox(), { path: '/orders', query: { per_page: 1, _fields: 'id,status,total' } });
    assert.deepEqual(Object.keys(fields.body[0]), ['id', 'status', 'total']);
    const asc = await woo(sandbox(), { path: '/orders', query: { orderby: 'id', order: 'asc', per_page: 3, offset: 2 } });
    assert.deepEqual(asc.body.map((o: any) => o.id), all.body.map((o: any) => o.id).sort((a: number, b: number) => a - b).slice(2, 5));
  });

  it('reads after/before in site time unless dates_are_gmt', async () => {
    await createProduct(sandbox(), { name: 'Tee', sku: 'T', regular_price: '10' });
    const a = orderAt(sandbox(), '2026-01-01T10:00:00Z'); // 13:00 site time (UTC+3)
    const b = orderAt(sandbox(), '2026-01-01T14:00:00Z'); // 17:00 site time
    const ids = async (query: Record<string, string | boolean>): Promise<number[]> => (await woo(sandbox(), { path: '/orders', query })).body.map((o: any) => o.id);
    assert.deepEqual(await ids({ before: '2026-01-01T12:30:00' }), []);
    assert.deepEqual(await ids({ before: '2026-01-01T12:30:00', dates_are_gmt: true }), [a]);
    assert.deepEqual(await ids({ before: '2026-01-01T16:30:00' }), [a]);
    assert.deepEqual(await ids({ after: '2026-01-01T13:00:00' }), [b], 'after is strict');
    assert.deepEqual(await ids({ after: '2026-01-01T10:00:00', dates_are_gmt: true }), [b]);
    // WP_Date_Query turns a value with an offset into site time, even against the GMT column.
    assert.deepEqual(await ids({ after: '2026-01-01T09:00:00Z', before: '2026-01-01T11:00:00Z', dates_are_gmt: true }), []);
    assert.deepEqual(await ids({ after: '2026-01-01T06:30:00Z', before: '2026-01-01T08:00:00Z', dates_are_gmt: true }), [a]);
    const order = sandbox().state.order(a);
    assert.equal(order.date_created, '2026-01-01T13:00:00');
    assert.equal(order.date_created_gmt, '2026-01-01T10:00:00');
  });

  it('filters on date_modified and orders by it, newest change first', async () => {
    const p = await createProduct(sandbox(), { name: 'Tee', sku: 'T', regular_price: '10' });
    const old = orderAt(sandbox(), '2026-01-01T10:00:00Z', 'processing');
    orderAt(sandbox(), '2026-01-02T10:00:00Z', 'processing');
    const since = new Date(Date.now() - 60_000).toISOString().slice(0, 19);
    assert.deepEqual((await woo(sandbox(), { path: '/orders', query: { modified_after: since, dates_are_gmt: true } })).body, []);
    await woo(sandbox(), { method: 'PUT', path: `/orders/${old}`, body: { status: 'completed' } });
    const changed = await woo(sandbox(), { path: '/orders', query: { modified_after: since, dates_are_gmt: true } });
    assert.deepEqual(changed.body.map((o: any) => o.id), [old]);
    assert.equal(changed.headers.get('x-wp-total'), '1');
    const byModified = await woo(sandbox(), { path: '/orders', query: { orderby: 'modified' } });
    assert.equal(byModified.body[0].id, old);
    const byProduct = await woo(sandbox(), { path: '/orders', query: { product: p.id } });
    assert.equal(byProduct.body.length, 2);
  });

  it('filters by status: one, a comma list or an array; any hides trash and checkout drafts', async () => {
    await createProduct(sandbox(), { name: 'Tee', sku: 'T', regular_price: '10' });
    sandbox().seedOrders({ count: 40, createdBefore: new Date(), statusWeights: { completed: 2, processing: 1, 'on-hold': 1, cancelled: 1 } });
    const count = (s: string): number => sandbox().state.orders().filter((o: any) => o.status === s).length;
    const total = async (query: Record<string, string>): Promise<number> => Number((await woo(sandbox(), { path: '/orders', query })).headers.get('x-wp-total'));
    assert.equal(await total({ status: 'completed' }), count('completed'));
    assert.equal(await total({ status: 'completed,processing' }), count('completed') + count('processing'));
    assert.equal(await total({ 'status[0]': 'on-hold', 'status[1]': 'cancelled' }), count('on-hold') + count('cancelled'));
    const draft = await createOrder(sandbox(), { status: 'checkout-draft', line_items: [{ sku: 'T' }] });
    const trashed = await createOrder(sandbox(), { line_items: [{ sku: 'T' }] });
    await woo(sandbox(), { method: 'DELETE', path: `/orders/${trashed.id}` });
    assert.equal(await total({}), 40);
    assert.equal(await total({ status: 'any' }), 40);
    assert.equal(await total({ status: 'checkout-draft' }), 1);
    assert.equal((await woo(sandbox(), { path: `/orders/${draft.id}` })).body.status, 'checkout-draft');
    const bad = await woo(sandbox(), { path: '/orders', query: { status: 'shipped' } });
    assert.equal(bad.status, 400);
    assert.equal(
      bad.body.data.params.status,
      'status[0] is not one of any, trash, auto-draft, pending, processing, on-hold, completed, cancelled, refunded, failed, and checkout-draft.',
    );
  });
});

describe('WooCommerce sandbox: the refunded status and refunds (as WooCommerce 8.9)', () => {
  const sandbox = useSandbox();

  it('restocks nothing when an order becomes refunded, and records a full refund', async () => {
    const shop = await smallShop(sandbox());
    const o = await createOrder(sandbox(), { set_paid: true, line_items: [{ product_id: shop.tee.id, quantity: 2 }] });
    assert.equal(await stockOf(sandbox(), shop.tee.id), 5);
    const res = await woo(sandbox(), { method: 'PUT', path: `/orders/${o.id}`, body: { status: 'refunded' } });
    assert.equal(res.body.refunds[0].total, '-36.00');
    assert.equal(await stockOf(sandbox(), shop.tee.id), 5);
  });

  it('restocks the refunded quantity of a line, lists the refund with its lines, and refuses a payment refund without a gateway', async () => {
    const shop = await smallShop(sandbox());
    const o = await createOrder(sandbox(), { set_paid: true, line_items: [{ product_id: shop.tee.id, quantity: 2 }] });
    const refused = await woo(sandbox(), { method: 'POST', path: `/orders/${o.id}/refunds`, body: { amount: '18', line_items: [{ id: o.line_items[0].id, quantity: 1, refund_total: 18 }] } });
    assert.equal(refused.status, 500);
    assert.equal(refused.body.message, 'The payment gateway for this order does not exist.');
    const tooMuch = await woo(sandbox(), { method: 'POST', path: `/orders/${o.id}/refunds`, body: { amount: '1000', api_refund: false } });
    assert.equal(tooMuch.body.message, 'Invalid refund amount.');
    const made = await woo(sandbox(), { method: 'POST', path: `/orders/${o.id}/refunds`, body: { amount: '18', api_refund: false, line_items: [{ id: o.line_items[0].id, quantity: 1, refund_total: 18 }] } });
    assert.equal(made.status, 201);
    assert.equal(made.body.line_items[0].quantity, -1);
    assert.equal(await stockOf(sandbox(), shop.tee.id), 6);
    const order = (await woo(sandbox(), { path: `/orders/${o.id}` })).body;
    const meta = Object.fromEntries(order.line_items[0].meta_data.map((m: { key: string; value: string }) => [m.key, m.value]));
    assert.deepEqual([meta._reduced_stock, meta._restock_refunded_items], ['1', '1']);
    assert.equal(order.status, 'processing');
    const list = await woo(sandbox(), { path: `/orders/${o.id}/refunds` });
    assert.deepEqual(list.body.map((r: { id: number }) => r.id), [made.body.id]);
  });
});
