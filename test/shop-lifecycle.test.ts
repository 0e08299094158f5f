// Issue 6 points 5 and 6: what the merchant did in the shop. Against the sandbox, and against a
// real store with WOO_CONTRACT_URL and keys.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ContractShop } from './helpers/contract-shop';
import { adminToken } from './helpers/api';
import { uniqueSku, waitFor } from './helpers/shop';
import { useShopsPerTest, useTestStack, TEST_HANG_GUARD_MS } from './helpers/suite-setup';

const run = promisify(execFile);

describe('what the merchant did in the shop (issue 6 points 5, 6)', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  const shops = useShopsPerTest(stack);
  let shop: ContractShop | undefined;

  const parentLink = (productId: number) =>
    stack.db('product_links').where({ connection_id: shop!.connectionId, product_id: productId }).whereNull('variant_id').first();
  const cli = (...args: string[]) =>
    run(process.execPath, ['-r', 'ts-node/register', path.join(__dirname, '..', 'scripts', 'cli.ts'),
      '--api', stack.httpUrl, '--temporal', stack.temporalAddress, '--task-queue', stack.config.temporal.taskQueue, ...args], { timeout: 120_000, env: { ...process.env, POSSYNC_TOKEN: adminToken(stack) } });

  it('a variation deleted in the shop is created again, by the next edit push and by the next batched stock push (point 5)', async () => {
    shop = await shops.contract();
    const sku = uniqueSku('VDEL');
    const sizes = ['S', 'M', 'L'];
    const doc = (name: string) => ({
      sku, type: 'variable', name, channels: ['in_store', 'online'], attributes: [{ name: 'Size', options: sizes }],
      variants: sizes.map((s) => ({ sku: `${sku}-${s}`, retail_price: 15, attributes: [{ name: 'Size', option: s }] })),
    });
    const res = await shop.api.post('/api/products', doc(`Shirt ${sku}`));
    assert.equal(res.status, 201);
    const productId = res.data.id as number;
    await waitFor('the product and its variations linked', async () =>
      Number((await stack.db('product_links').where({ connection_id: shop!.connectionId, product_id: productId }).count({ n: '*' }))[0]!.n) === 4);
    const remoteParent = Number((await parentLink(productId)).remote_id);
    const variationOf = async (size: string) => (await shop!.client.listAllVariations(remoteParent)).filter((v) => v.sku === `${sku}-${size}`);

    const [m] = await variationOf('M');
    await shop.client.deleteVariation(remoteParent, m!.id, { force: true });
    assert.equal((await shop.api.post('/api/products', doc(`Shirt ${sku} v2`))).status, 200);
    await waitFor('M created again by the edit push', async () => (await variationOf('M')).length === 1);
    const again = (await variationOf('M'))[0]!;
    assert.notEqual(again.id, m!.id);
    await waitFor('the link of M points at the new variation', async () =>
      Number((await stack.db('product_links').join('variants', 'variants.id', 'product_links.variant_id')
        .where({ 'product_links.connection_id': shop!.connectionId, 'variants.sku': `${sku}-M` }).first('product_links.remote_id')).remote_id) === again.id);

    const [l] = await variationOf('L');
    await shop.client.deleteVariation(remoteParent, l!.id, { force: true });
    await shop.api.post('/api/stock-orders', { outlet_id: shop.outletId, lines: [{ sku: `${sku}-L`, received: 7 }] });
    await waitFor('L created again by the batched stock push, with its stock', async () => {
      const v = await variationOf('L');
      return v.length === 1 && v[0]!.stock_quantity === 7;
    });
    const all = await shop.client.listAllVariations(remoteParent);
    assert.deepEqual(all.map((v) => v.sku).sort(), sizes.map((s) => `${sku}-${s}`).sort(), 'one variation per SKU');
  });

  it('a product trashed in the shop stays trashed through edit and stock pushes, shows in status and failures, and is restored or unlinked on command (point 6)', async () => {
    shop = await shops.contract();
    const sku = uniqueSku('TRASH');
    const doc = (name: string) => ({ sku, type: 'simple', name, retail_price: 9, channels: ['in_store', 'online'] });
    const res = await shop.api.post('/api/products', doc(`Mug ${sku}`));
    assert.equal(res.status, 201);
    const productId = res.data.id as number;
    await shop.api.post('/api/stock-orders', { outlet_id: shop.outletId, lines: [{ sku, received: 5 }] });
    const remoteId = Number((await waitFor('the link', () => parentLink(productId))).remote_id);
    await waitFor('stock 5 in the shop', async () => (await shop!.client.getProduct(remoteId)).stock_quantity === 5);

    await shop.client.deleteProduct(remoteId);
    assert.equal((await shop.api.post('/api/products', doc(`Mug ${sku} v2`))).status, 200);
    await waitFor('marked trashed', async () => (await parentLink(productId)).shop_state === 'trashed');
    await shop.api.post('/api/sales', { register_id: shop.registerId, lines: [{ sku, quantity: 2 }] });
    await waitFor('the batched push done', async () =>
      !(await stack.db('batch_push_queue').where({ connection_id: shop!.connectionId, product_id: productId }).first()));
    await new Promise((r) => setTimeout(r, 1500));
    const still = await shop.client.getProduct(remoteId);
    assert.equal(still.status, 'trash', 'neither push untrashed it');
    assert.equal(still.name, `Mug ${sku}`, 'nor wrote to it');
    assert.equal(still.stock_quantity, 5);

    const failures = (await shop.api.get('/api/sync-failures', { params: { limit: 500 } })).data.failures as { product_id: number; status: string; message: string }[];
    const mine = failures.find((f) => f.product_id === productId);
    assert.equal(mine?.status, 'trashed');
    assert.match(mine!.message, /trashed in the shop/);
    const status = await cli('status', sku);
    assert.match(status.stdout, /TRASHED IN THE SHOP/);

    const restored = await cli('restore-trashed', sku, shop.connectionId);
    assert.match(restored.stdout, /untrashed and pushed/);
    await waitFor('untrashed and pushed', async () => {
      const p = await shop!.client.getProduct(remoteId);
      return p.status === 'publish' && p.name === `Mug ${sku} v2` && p.stock_quantity === 3;
    });
    await waitFor('an ordinary link again', async () => (await parentLink(productId)).shop_state === null);

    await shop.client.deleteProduct(remoteId);
    await shop.api.post('/api/products', doc(`Mug ${sku} v3`));
    await waitFor('marked trashed again', async () => (await parentLink(productId)).shop_state === 'trashed');
    const unlinked = await cli('unlink', sku, shop.connectionId);
    assert.match(unlinked.stdout, /unlinked from shop product/);
    assert.equal(await parentLink(productId), undefined);
    assert.equal((await shop.client.getProduct(remoteId)).status, 'trash', 'the trashed shop product is left where it is');
  });
});
