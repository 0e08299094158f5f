import assert from 'node:assert/strict';
import type { SmartBillConnection } from '../../activities/smartbill/registry';
import { sendStockCall } from '../../sandbox/smartbill';
import { uniqueSku, waitFor } from '../helpers/shop';
import { useContractShop, useTestStack, SETUP_HANG_GUARD_MS, TEST_HANG_GUARD_MS } from '../helpers/suite-setup';

/**
 * SmartBill levels applied to a WooCommerce store (issue 12): what the shop index reads (status=any,
 * variations' names and `manage_stock: "parent"`, modified_after) and what the batch writes do, on the
 * sandbox in CI and on the real WooCommerce 8.9.1 store with WOO_CONTRACT_URL.
 */
describe('contract: SmartBill levels into a WooCommerce store', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  const shop = useContractShop(stack);
  let conn: SmartBillConnection;

  before(async function () {
    this.timeout(SETUP_HANG_GUARD_MS);
    conn = {
      id: `sbc-${process.pid}`, token: 'contract-token', username: 'x', companyVat: 'RO1', apiUrl: 'http://127.0.0.1:9/none',
      warehouse: 'Depozit', shopConnectionId: shop.connectionId, stockOwner: 'pos', enabled: true,
    };
    stack.smartbill.set(conn);
  });
  after(() => {
    stack.smartbill.delete(conn.id);
  });

  it('sets simple products, variations and parent-managed variations, matched by code or name; leaves drafts and unmanaged items alone', async () => {
    const woo = shop.client;
    const tag = uniqueSku('SBC');
    const simple = await woo.createProduct({ name: `Simplu ${tag}`, sku: `${tag}-S`, type: 'simple', status: 'publish', regular_price: '5', manage_stock: true, stock_quantity: 1 } as any);
    const named = await woo.createProduct({ name: `Cămașă ${tag}`, type: 'simple', status: 'publish', regular_price: '5', manage_stock: true, stock_quantity: 1 } as any);
    const unmanaged = await woo.createProduct({ name: `Nemanaged ${tag}`, sku: `${tag}-U`, type: 'simple', status: 'publish', regular_price: '5' } as any);
    const draft = await woo.createProduct({ name: `Ciorna ${tag}`, sku: `${tag}-D`, type: 'simple', status: 'draft', regular_price: '5', manage_stock: true, stock_quantity: 1 } as any);
    const parent = await woo.createProduct({
      name: `Tricou ${tag}`, sku: `${tag}-P`, type: 'variable', status: 'publish', manage_stock: true, stock_quantity: 3,
      attributes: [{ name: 'Marime', options: ['S', 'M'], variation: true, visible: true }],
    } as any);
    const own = await woo.createVariation(parent.id, { sku: `${tag}-P-S`, regular_price: '7', manage_stock: true, stock_quantity: 2, attributes: [{ name: 'Marime', option: 'S' }] } as any);
    const inherits = await woo.createVariation(parent.id, { sku: `${tag}-P-M`, regular_price: '7', attributes: [{ name: 'Marime', option: 'M' }] } as any);
    assert.equal(inherits.manage_stock, 'parent', 'a variation without its own stock management reads "parent"');

    const r = await sendStockCall({ url: `${stack.httpUrl}/smartbill/${conn.id}/stocks`, token: conn.token }, [
      { warehouse: 'Depozit', productCode: `${tag}-S`, productName: 'x', measuringUnit: 'buc', quantity: 21 },
      { warehouse: 'Depozit', productCode: '', productName: `CAMASA ${tag}`, measuringUnit: 'buc', quantity: 22 },
      { warehouse: 'Depozit', productCode: `${tag}-U`, productName: 'x', measuringUnit: 'buc', quantity: 23 },
      { warehouse: 'Depozit', productCode: `${tag}-D`, productName: 'x', measuringUnit: 'buc', quantity: 24 },
      { warehouse: 'Depozit', productCode: `${tag}-P-S`, productName: 'x', measuringUnit: 'buc', quantity: 25 },
      { warehouse: 'Depozit', productCode: `${tag}-P-M`, productName: 'x', measuringUnit: 'buc', quantity: 26 },
    ]);
    assert.equal(r.status, 200);
    await waitFor('the movements settled', async () => !(await stack.db('smartbill_movements').where({ connection_id: conn.id }).whereNull('outcome').first()));

    assert.equal((await woo.getProduct(simple.id)).stock_quantity, 21);
    assert.equal((await woo.getProduct(named.id)).stock_quantity, 22);
    const u = await woo.getProduct(unmanaged.id);
    assert.deepEqual([u.manage_stock, u.stock_quantity], [false, null]);
    assert.equal((await woo.getProduct(draft.id)).stock_quantity, 1);
    assert.equal((await woo.getVariation(parent.id, own.id)).stock_quantity, 25);
    assert.equal((await woo.getProduct(parent.id)).stock_quantity, 26, "a parent-managed variation's level sets its product's stock");
    const outcomes = await stack.db('smartbill_movements').where({ connection_id: conn.id }).orderBy('id').pluck('outcome');
    assert.deepEqual(outcomes, ['applied', 'applied', 'not_managed', 'not_found', 'applied', 'applied']);
  });

  it('finds a product created after the index was loaded, through modified_after', async () => {
    const sku = uniqueSku('SBL');
    const late = await shop.client.createProduct({ name: `Tarziu ${sku}`, sku, type: 'simple', status: 'publish', regular_price: '5', manage_stock: true, stock_quantity: 0 } as any);
    await sendStockCall({ url: `${stack.httpUrl}/smartbill/${conn.id}/stocks`, token: conn.token },
      [{ warehouse: 'Depozit', productCode: sku, productName: 'x', measuringUnit: 'buc', quantity: 9 }]);
    await waitFor('settled', async () => !(await stack.db('smartbill_movements').where({ connection_id: conn.id }).whereNull('outcome').first()));
    assert.equal((await shop.client.getProduct(late.id)).stock_quantity, 9);
  });
});
