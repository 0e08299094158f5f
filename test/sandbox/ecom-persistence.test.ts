import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEcomSandbox } from '../../sandbox/ecom';
import { resetStateFile } from '../../sandbox/woocommerce';
import { ecom, ecomProduct } from './helpers/ecom';

/** npm start's eCom sandbox keeps its shop in the data folder, as the WooCommerce one does (issue 8 point 1). */
describe('eCom sandbox: the shop kept in a state file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecom-state-'));
  const file = path.join(dir, 'sandbox', 'ecom-main.json');
  const keys = { apiKey: 'k'.repeat(32), apiSecret: 's'.repeat(32) };
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('finds its products, variants, brands and orders after a restart, never reuses an id, and a reset empties it keeping the ids', async () => {
    let sandbox = await startEcomSandbox({ ...keys, stateFile: file });
    assert.equal(sandbox.restored, false);
    const brand = await ecom(sandbox, { method: 'POST', path: '/brands', body: { brand: { title: 'Acme' } } });
    assert.equal(brand.status, 201, JSON.stringify(brand.body));
    const { product, variant } = await ecomProduct(sandbox, { title: 'Mug', visibility: 'visible' });
    const put = await ecom(sandbox, { method: 'PUT', path: `/variants/${variant.id}`, body: { variant: { stockTracking: 'enabled', stockLevel: 7, sku: 'MUG-1' } } });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const order = sandbox.placeOrder({ lines: [{ variantId: variant.id, quantity: 2 }] });
    await sandbox.close();

    sandbox = await startEcomSandbox({ ...keys, stateFile: file });
    assert.equal(sandbox.restored, true);
    assert.equal((await ecom(sandbox, { path: `/products/${product.id}` })).body.product.title, 'Mug');
    const v = (await ecom(sandbox, { path: `/variants/${variant.id}` })).body.variant;
    assert.equal(v.sku, 'MUG-1');
    assert.equal(Number(v.stockLevel), 5, 'the order placed before the restart took its units');
    assert.equal((await ecom(sandbox, { path: `/orders/${order.id}` })).body.order.number, order.number);
    assert.deepEqual((await ecom(sandbox, { path: '/brands/count' })).body, { count: 1 });
    const second = await ecomProduct(sandbox, { title: 'Plate' });
    assert.ok(second.product.id > product.id && second.variant.id > variant.id, 'ids go on after the restart');
    await sandbox.close();

    assert.equal(resetStateFile(file), true);
    sandbox = await startEcomSandbox({ ...keys, stateFile: file });
    try {
      assert.equal(sandbox.restored, false);
      assert.deepEqual((await ecom(sandbox, { path: '/products/count' })).body, { count: 0 });
      const third = await ecomProduct(sandbox, { title: 'Bowl' });
      assert.ok(third.product.id > second.product.id, 'a reset shop never gives out an id the old one used');
    } finally {
      await sandbox.close();
    }
  });
});
