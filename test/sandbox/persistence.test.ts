import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type WooSandbox, resetStateFile, startWooSandbox } from '../../sandbox/woocommerce';
import { waitFor } from '../helpers/shop';
import { createOrder, smallShop } from './helpers/orders';
import { createProduct } from './helpers/sandbox';
import { woo } from './helpers/woo-http';

/** What a client sees of the whole store, links and dates included (the host:port written as HOST). */
async function everything(sandbox: WooSandbox): Promise<any> {
  const list = async (p: string, status = 'any') => (await woo(sandbox, { path: p, query: { per_page: 100, orderby: 'id', order: 'asc', status } })).body;
  const products = await list('/products');
  const variations = await Promise.all(products.filter((p: any) => p.type === 'variable').map((p: any) => list(`/products/${p.id}/variations`)));
  const orders = await list('/orders');
  const notes = await Promise.all(orders.map((o: any) => list(`/orders/${o.id}/notes`)));
  const all = { products, variations, orders, notes, webhooks: await list('/webhooks', 'all'), attachments: sandbox.state.attachments() };
  return JSON.parse(JSON.stringify(all).split(new URL(sandbox.url).host).join('HOST'));
}

describe('WooCommerce sandbox: state kept in a file (issue 8 point 1)', function () {
  this.timeout(30_000);
  let dir: string;
  let file: string;
  const open: WooSandbox[] = [];

  const start = async (): Promise<WooSandbox> => {
    const s = await startWooSandbox({ stateFile: file, webhookDelayMs: 60_000 });
    open.push(s);
    return s;
  };

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? os.tmpdir(), 'sandbox-state-'));
    file = path.join(dir, 'sandbox', 'woo-main.json');
  });
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a restarted sandbox holds the same products, variations, media, orders, notes and webhooks, and continues the ids', async () => {
    const first = await start();
    assert.equal(first.restored, false);
    const shop = await smallShop(first);
    await createProduct(first, { name: 'Pictured', sku: 'PIC', images: [{ src: 'http://example.com/pic.jpg' }] });
    const order = await createOrder(first, { set_paid: true, line_items: [{ product_id: shop.tee.id, quantity: 2 }] });
    await woo(first, { method: 'POST', path: `/orders/${order.id}/notes`, body: { note: 'kept' } });
    const hook = await woo(first, { method: 'POST', path: '/webhooks', body: { name: 'h', topic: 'order.created', delivery_url: 'http://127.0.0.1:9/hooks', secret: 's' } });
    assert.equal(hook.status, 201, hook.text);
    first.seedOrders({ count: 20, createdBefore: new Date('2026-01-01T00:00:00Z'), seed: 3 });
    const before = await everything(first);
    assert.deepEqual([before.products.length, before.variations[0].length, before.orders.length, before.notes.flat().length > 0, before.webhooks.length, before.attachments.length], [3, 2, 21, true, 1, 1]);
    await first.close();

    const second = await start();
    assert.equal(second.restored, true);
    assert.deepEqual(await everything(second), before);
    assert.equal(second.state.stockOf(shop.tee.id), 5);
    const next = await createProduct(second, { name: 'After restart', sku: 'NEXT' });
    const maxBefore = Math.max(...before.orders.map((o: any) => o.id), ...before.products.map((p: any) => p.id));
    assert.ok(next.id > maxBefore, `new id ${next.id} must follow the ids used before the restart (${maxBefore})`);
    const dup = await woo(second, { method: 'POST', path: '/products', body: { name: 'Dup', sku: 'TEE' } });
    assert.equal(dup.body.code, 'product_invalid_sku', 'the SKU index is rebuilt');
  });

  it('changes reach the file without a close once writes pause (a killed process loses at most the last moment)', async () => {
    const s = await start();
    await createProduct(s, { name: 'Saved by the timer', sku: 'TIMER' });
    const saved = await waitFor('the state file', () => {
      if (!fs.existsSync(file)) return undefined;
      const text = fs.readFileSync(file, 'utf8');
      return text.includes('"TIMER"') ? text : undefined;
    });
    assert.ok(JSON.parse(saved).store.posts.length === 1);
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['woo-main.json'], 'no temporary file is left');
  });

  it('a store that never changed writes nothing; a removed file starts an empty shop', async () => {
    const s = await start();
    await woo(s, { path: '/products' });
    await s.close();
    assert.equal(fs.existsSync(file), false);
    const again = await start();
    assert.equal(again.restored, false);
    assert.deepEqual(again.state.products(), []);
  });

  it('a reset empties the store but keeps its id sequences, so the new shop gives out no id twice; an unreadable file is removed', async () => {
    const s = await start();
    const old = await createProduct(s, { name: 'Before the reset', sku: 'OLD' });
    const order = await createOrder(s, { line_items: [{ product_id: old.id, quantity: 1 }] });
    await s.close();
    assert.equal(resetStateFile(file), true);
    const fresh = await start();
    assert.equal(fresh.restored, false, 'an emptied store counts as new');
    assert.deepEqual([fresh.state.products(), fresh.state.orders()], [[], []]);
    const next = await createProduct(fresh, { name: 'After the reset', sku: 'OLD' });
    assert.ok(next.id > order.id, `id ${next.id} after ${order.id}`);
    await fresh.close();
    fs.writeFileSync(file, 'not json');
    assert.equal(resetStateFile(file), true);
    assert.equal(fs.existsSync(file), false);
    assert.equal(resetStateFile(file), false, 'nothing to reset');
  });

  it('an unreadable state file stops the start with the file and the reset command named', async () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '{"format":1,"store":');
    await assert.rejects(start(), (err: Error) => err.message.includes(file) && err.message.includes('sandbox reset'));
  });
});
