import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { simpleProduct, uniqueSku, waitFor } from './helpers/shop';
import { useShop, useTestStack, TEST_HANG_GUARD_MS } from './helpers/suite-setup';

const key = () => crypto.randomUUID();

/** Issue 7.3: a till that times out and retries never records an operation twice. */
describe('Idempotency-Key: every POS operation runs once per key (issue 7.3)', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  const shop = useShop(stack);

  async function productWithStock(stock: number): Promise<{ sku: string; productId: number }> {
    const sku = uniqueSku('IDEM');
    const saved = await shop.api.post('/api/products', simpleProduct(sku));
    assert.equal(saved.status, 201, JSON.stringify(saved.data));
    const order = await shop.api.post('/api/stock-orders', { outlet_id: shop.outletId, lines: [{ sku, received: stock }] });
    assert.equal(order.status, 201, JSON.stringify(order.data));
    return { sku, productId: saved.data.id };
  }

  async function level(productId: number): Promise<number> {
    const row = await stack.db('inventory').where({ outlet_id: shop.outletId, product_id: productId }).whereNull('variant_id').first('quantity');
    return Number(row?.quantity ?? 0);
  }

  async function salesWithReference(reference: string): Promise<number> {
    return Number((await stack.db('sales').where({ reference }).count({ n: '*' }))[0]!.n);
  }

  it('10 concurrent sales with one key record one sale, move the stock once, and all answer the first result', async () => {
    const { sku, productId } = await productWithStock(50);
    const reference = uniqueSku('TILL');
    const k = key();
    const body = { register_id: shop.registerId, reference, lines: [{ sku, quantity: 2 }] };
    const answers = await Promise.all(Array.from({ length: 10 }, () => shop.api.post('/api/sales', body, { headers: { 'Idempotency-Key': k } })));
    assert.deepEqual(answers.map((a) => a.status), Array(10).fill(201), JSON.stringify(answers.map((a) => a.data)));
    assert.equal(new Set(answers.map((a) => a.data.id)).size, 1, 'every answer names the same sale');
    assert.equal(answers.filter((a) => a.headers['idempotent-replayed'] === 'true').length, 9, 'nine answers are replays');
    assert.equal(await salesWithReference(reference), 1);
    assert.equal(await level(productId), 48);
    const movements = await stack.db('stock_movements').where({ reference_type: 'sale', reference_id: String(answers[0]!.data.id) });
    assert.equal(movements.length, 1);
  });

  it('the same key with a different body is refused with 409 naming the key, and nothing is written', async () => {
    const { sku, productId } = await productWithStock(20);
    const k = key();
    const first = await shop.api.post('/api/sales', { register_id: shop.registerId, lines: [{ sku, quantity: 1 }] }, { headers: { 'Idempotency-Key': k } });
    assert.equal(first.status, 201);
    const salesBefore = Number((await stack.db('sales').count({ n: '*' }))[0]!.n);
    const other = await shop.api.post('/api/sales', { register_id: shop.registerId, lines: [{ sku, quantity: 5 }] }, { headers: { 'Idempotency-Key': k } });
    assert.equal(other.status, 409, JSON.stringify(other.data));
    assert.equal(other.data.problems[0].field, 'Idempotency-Key');
    assert.match(other.data.message, /different request body/);
    const elsewhere = await shop.api.post('/api/refunds', { register_id: shop.registerId, lines: [{ sku, quantity: 1 }] }, { headers: { 'Idempotency-Key': k } });
    assert.equal(elsewhere.status, 409, JSON.stringify(elsewhere.data));
    assert.match(elsewhere.data.message, /already used for POST \/api\/sales/);
    assert.equal(Number((await stack.db('sales').count({ n: '*' }))[0]!.n), salesBefore);
    assert.equal(await level(productId), 19);
  });

  it('a till that gives up on a sale held behind a row lock and retries with its key gets one sale', async () => {
    const { sku, productId } = await productWithStock(10);
    const reference = uniqueSku('TIMEOUT');
    const k = key();
    const body = { register_id: shop.registerId, reference, lines: [{ sku, quantity: 1 }] };
    const waitingOnLocks = async () =>
      Number((await stack.db.raw(`SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE '%inventory%'`)).rows[0].n);

    // Another transaction (a long stock count, say) holds the product's stock row.
    const holder = await stack.db.transaction();
    try {
      await holder('inventory').where({ outlet_id: shop.outletId, product_id: productId }).forUpdate().select('id');
      const gaveUp = await shop.api.post('/api/sales', body, { headers: { 'Idempotency-Key': k }, timeout: 1500 }).then(
        () => 'answered',
        (err: { code?: string }) => err.code,
      );
      assert.equal(gaveUp, 'ECONNABORTED', 'the till timed out while the sale waited for the lock');
      await waitFor('the abandoned sale to wait on the lock', async () => (await waitingOnLocks()) >= 1);
      const retry = shop.api.post('/api/sales', body, { headers: { 'Idempotency-Key': k } });
      // The retry queues behind the abandoned attempt (on its key, or on the same stock row without keys).
      await waitFor('the retry to wait too', async () =>
        Number((await stack.db.raw(`SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'`)).rows[0].n) >= 2);
      await holder.commit();
      const answer = await retry;
      assert.equal(answer.status, 201, JSON.stringify(answer.data));
    } finally {
      if (!holder.isCompleted()) await holder.rollback();
    }
    assert.equal(await level(productId), 9, 'the stock moved once, not twice');
    assert.equal(await salesWithReference(reference), 1, 'one sale, not two');
  });

  it('stores the reference a till sends with a sale', async () => {
    const { sku } = await productWithStock(5);
    const reference = uniqueSku('REF');
    const res = await shop.api.post('/api/sales', { register_id: shop.registerId, reference, lines: [{ sku, quantity: 1 }] });
    assert.equal(res.status, 201);
    assert.equal((await stack.db('sales').where({ id: res.data.id }).first('reference')).reference, reference);
  });

  it('every operation (refund, exchange, count, order, transfer, adjustment, product save, CSV import) answers a repeat with the first result and writes nothing', async () => {
    const { sku } = await productWithStock(100);
    const { sku: other } = await productWithStock(100);
    const csvSku = uniqueSku('IDEMCSV');
    const cases: { url: string; body: unknown; headers?: Record<string, string> }[] = [
      { url: '/api/refunds', body: { register_id: shop.registerId, lines: [{ sku, quantity: 1 }] } },
      { url: '/api/exchanges', body: { register_id: shop.registerId, returned: [{ sku, quantity: 1 }], sold: [{ sku: other, quantity: 1 }] } },
      { url: '/api/stock-counts', body: { outlet_id: shop.outletId, lines: [{ sku, counted: 77 }] } },
      { url: '/api/stock-orders', body: { outlet_id: shop.outletId, reference: 'PO-IDEM', lines: [{ sku, received: 3 }] } },
      { url: '/api/stock-transfers', body: { from_outlet_id: shop.outletId, to_outlet_id: shop.otherOutletId, lines: [{ sku, quantity: 2 }] } },
      { url: '/api/stock-adjustments', body: { outlet_id: shop.outletId, reason: 'damaged', lines: [{ sku, delta: -1 }] } },
      { url: '/api/products', body: simpleProduct(uniqueSku('IDEMP')) },
      { url: '/api/products/import', body: `sku,name,retail_price\n${csvSku},Imported once,4.5\n`, headers: { 'content-type': 'text/csv' } },
    ];
    const tables = ['sales', 'stock_documents', 'stock_movements', 'products', 'inventory'];
    const counts = async () => Promise.all(tables.map(async (t) => Number((await stack.db(t).count({ n: '*' }))[0]!.n)));
    for (const c of cases) {
      const k = key();
      const first = await shop.api.post(c.url, c.body, { headers: { ...c.headers, 'Idempotency-Key': k } });
      assert.ok(first.status === 201 || first.status === 200, `${c.url}: ${first.status} ${JSON.stringify(first.data)}`);
      const before = await counts();
      const again = await shop.api.post(c.url, c.body, { headers: { ...c.headers, 'Idempotency-Key': k } });
      assert.equal(again.status, first.status, c.url);
      assert.deepEqual(again.data, first.data, c.url);
      assert.equal(again.headers['idempotent-replayed'], 'true', c.url);
      assert.deepEqual(await counts(), before, `${c.url}: the repeat wrote nothing`);
    }
  });

  it('refuses a malformed Idempotency-Key', async () => {
    const res = await shop.api.post('/api/sales', { register_id: shop.registerId, lines: [{ sku: 'X', quantity: 1 }] }, { headers: { 'Idempotency-Key': 'x'.repeat(201) } });
    assert.equal(res.status, 400);
    assert.equal(res.data.problems[0].field, 'Idempotency-Key');
  });
});
