import assert from 'node:assert/strict';
import { bearerTokenMatches, parseStockCall, pluginTextAnswer, pluginTexts, sameWarehouse } from '../../domain/smartbill-stock-call';
import { wpSlug } from '../../domain/wp-slug';

describe('a SmartBill stock call, read as the SmartBill plugin reads it (M-D2, M-D3)', () => {
  it('takes {"products":[…]} and a bare array alike', () => {
    const item = { warehouse: 'Depozit', productCode: ' P1 ', productName: 'Product 1', quantity: 5, measuringUnit: 'buc' };
    for (const body of [{ products: [item] }, [item]]) {
      const call = parseStockCall(JSON.stringify(body));
      assert.ok(call.ok);
      assert.equal(call.test, false);
      assert.deepEqual(call.items, [{ warehouse: 'Depozit', productCode: 'P1', productName: 'Product 1', quantity: 5, sentQuantity: 5, measuringUnit: 'buc' }]);
    }
  });

  it('an empty list is SmartBill\'s test call', () => {
    for (const raw of ['[]', '{"products":[]}']) {
      const call = parseStockCall(raw);
      assert.ok(call.ok && call.test && call.items.length === 0);
    }
  });

  it('bad JSON is the plugin\'s 400 with its text', () => {
    for (const raw of ['{', '', 'null']) {
      const call = parseStockCall(raw);
      assert.ok(!call.ok);
      assert.equal(call.status, 400);
      assert.equal(call.message, pluginTexts.badJson);
    }
    const notAList = parseStockCall('{"items":[]}');
    assert.ok(!notAList.ok && /expected \{"products"/.test(notAList.message));
  });

  it('truncates fractional quantities toward zero, as WooCommerce\'s wc_stock_amount (intval) does', () => {
    const call = parseStockCall(JSON.stringify([
      { warehouse: 'D', productCode: 'A', productName: 'a', quantity: 2.7 },
      { warehouse: 'D', productCode: 'B', productName: 'b', quantity: '-1.5' },
      { warehouse: 'D', productCode: 'C', productName: 'c', quantity: 0.4 },
    ]));
    assert.ok(call.ok);
    assert.deepEqual(call.items.map((i) => [i.quantity, i.sentQuantity]), [[2, 2.7], [-1, -1.5], [0, 0.4]]);
  });

  it('refuses an item it cannot read, naming why, and keeps the others', () => {
    const call = parseStockCall(JSON.stringify([
      { warehouse: 'D', productCode: 'A', productName: 'a', quantity: 'abc' },
      { productCode: 'B', productName: 'b', quantity: 1 },
      { warehouse: 'D', productCode: '', productName: ' ', quantity: 1 },
      'x',
      { warehouse: 'D', productCode: 'E', productName: 'e', quantity: 3 },
    ]));
    assert.ok(call.ok);
    assert.deepEqual(call.items.map((i) => i.productCode), ['E']);
    assert.deepEqual(call.refused.map((r) => r.index), [0, 1, 2, 3]);
    assert.match(call.refused[0]!.message, /quantity "abc" is not a number/);
    assert.match(call.refused[1]!.message, /warehouse is missing/);
  });

  it('checks the bearer token case-insensitively, as the plugin does, and only with a Bearer scheme', () => {
    assert.equal(bearerTokenMatches('Bearer ABCdef0123', 'abcdef0123'), true);
    assert.equal(bearerTokenMatches('bearer abcdef0123', 'ABCDEF0123'), true);
    assert.equal(bearerTokenMatches('Bearer abcdef0124', 'abcdef0123'), false);
    assert.equal(bearerTokenMatches('Basic abcdef0123', 'abcdef0123'), false);
    assert.equal(bearerTokenMatches(undefined, 'abcdef0123'), false);
    assert.equal(bearerTokenMatches('Bearer ', ''), false);
  });

  it('answers in the plugin\'s text form: quoted lines, then null', () => {
    assert.equal(pluginTextAnswer([pluginTexts.testOk]), '"Testul de sincronizare stoc a fost facut cu succes!"\nnull');
    assert.equal(pluginTexts.updated(12, { productCode: 'P1', productName: 'x', sentQuantity: 2.5 }), 'Stoc actualizat pentru produsul cu id-ul 12 si codul P1. Stoc nou: 2.5');
  });

  it('compares warehouses case-insensitively (M-D5)', () => {
    assert.equal(sameWarehouse('Depozit Central', 'depozit central '), true);
    assert.equal(sameWarehouse('Depozit', 'Magazin'), false);
  });
});

describe('WordPress slugs, for matching SmartBill names (M-D1)', () => {
  it('slugs names as sanitize_title does for Latin text', () => {
    assert.equal(wpSlug('Cămașă din in, mărimea M'), 'camasa-din-in-marimea-m');
    assert.equal(wpSlug('  Țesătură   Ștrand  '), 'tesatura-strand');
    assert.equal(wpSlug('Ulei 2.5 L <b>nou</b>'), 'ulei-2-5-l-nou');
    assert.equal(wpSlug('Tricou -- Alb!!'), 'tricou-alb');
  });
});
