import assert from 'node:assert/strict';
import { ecomGmt, ecomOrderHoldsStock, toRemoteOrder } from '../domain/ecom-order';
import { ORDER_STATUSES } from '../sandbox/ecom/order-routes';

const line = (over: Record<string, unknown> = {}) => ({
  id: 50001, productId: 10001, variantId: 20001, productTitle: 'Shirt', variantTitle: 'M', sku: 'SH-M', articleCode: 'ART-1',
  quantityOrdered: 3, priceIncl: 20, ...over,
});

/** Issue 10 point 7: an eCom order as the POS applies it (domain/ecom-order.ts). */
describe('eCom order mapping (M-C7)', () => {
  it('every status but cancelled holds the ordered units out; cancelled holds none', () => {
    for (const status of ORDER_STATUSES) {
      const o = toRemoteOrder({ id: 40001, status, createdAt: '2026-11-29T22:00:00+02:00', updatedAt: '2026-11-29T22:05:09+02:00' }, [line()]);
      assert.equal(ecomOrderHoldsStock(status), status !== 'cancelled');
      assert.equal(o.lines[0]!.reducedStock, status === 'cancelled' ? 0 : 3, status);
      assert.equal(o.lines[0]!.quantity, 3);
    }
  });

  it('dates become GMT without offset, as the shared rules read them', () => {
    const o = toRemoteOrder({ id: 1, status: 'completed', createdAt: '2026-11-29T22:00:00+02:00', updatedAt: '2026-11-29T20:05:09+00:00' }, []);
    assert.equal(o.dateCreatedGmt, '2026-11-29T20:00:00');
    assert.equal(o.dateModifiedGmt, '2026-11-29T20:05:09');
    assert.equal(ecomGmt('not a date'), '');
  });

  it('a line keeps its variant and product ids, its SKU (else the article code) and a readable name', () => {
    const [a, b, c] = toRemoteOrder({ id: 1, status: 'on_hold', createdAt: '', updatedAt: '' }, [
      line(), line({ sku: '', variantTitle: 'Default' }), line({ sku: '', articleCode: '', variantId: null, quantityOrdered: -2 }),
    ]).lines;
    assert.deepEqual(a, { lineId: 50001, name: 'Shirt - M', sku: 'SH-M', remoteProductId: 10001, remoteVariationId: 20001, quantity: 3, reducedStock: 3, price: 20 });
    assert.equal(b!.sku, 'ART-1');
    assert.equal(b!.name, 'Shirt');
    assert.equal(c!.sku, '', 'no code: empty, never null (null means deleted in the shop)');
    assert.equal(c!.remoteVariationId, 0);
    assert.equal(c!.reducedStock, 0, 'a negative quantity holds nothing');
  });
});
