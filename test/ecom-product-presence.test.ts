import assert from 'node:assert/strict';
import { runCli } from './cli/run-cli';
import { useEcomShop } from './helpers/ecom-shop';
import { simpleProduct, uniqueSku, variableProduct } from './helpers/shop';
import { TEST_HANG_GUARD_MS, useTestStack } from './helpers/suite-setup';

describe('eCom product writer: presence (online, hidden, archived, variants added and removed) and the POS archive', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  const shop = useEcomShop(stack);

  const state = () => shop.sandbox.state;
  const remoteProductId = async (productId: number): Promise<number | undefined> => {
    const l = await stack.db('product_links').where({ connection_id: shop.connectionId, product_id: productId }).whereNull('variant_id').first('remote_id');
    return l ? Number(l.remote_id) : undefined;
  };

  it('a product appears only once active and sold online; in-store only hides it (never deletes), online again shows it', async () => {
    const sku = uniqueSku('PH');
    const id = await shop.save(simpleProduct(sku, { channels: ['in_store'] }));
    assert.deepEqual(await shop.push(id), { productId: id, status: 'skipped', requests: 0, writes: 0, message: 'not sold online (in-store only)' });
    await shop.save(simpleProduct(sku, { active: false }));
    assert.equal((await shop.push(id)).status, 'skipped');
    assert.equal(state().products.size, 0);
    await shop.save(simpleProduct(sku));
    assert.equal((await shop.push(id)).status, 'created');
    const remote = (await remoteProductId(id))!;
    await shop.save(simpleProduct(sku, { channels: ['in_store'] }));
    const hidden = await shop.push(id);
    assert.deepEqual([hidden.status, hidden.writes], ['hidden', 1]);
    assert.equal(state().products.get(remote)!.visibility, 'hidden');
    await shop.save(simpleProduct(sku, { active: false }));
    assert.equal((await shop.push(id)).status, 'unchanged', 'inactive is hidden too: nothing new to write');
    await shop.save(simpleProduct(sku));
    assert.equal((await shop.push(id)).status, 'written');
    assert.equal(state().products.get(remote)!.visibility, 'visible');
  });

  it('a POS variant added is created in eCom, one removed is deleted there; with no active variant left the product is hidden and keeps its last variant', async () => {
    const sku = uniqueSku('PV');
    const id = await shop.save(variableProduct(sku, ['S', 'M']));
    await shop.push(id);
    const remote = (await remoteProductId(id))!;
    await shop.save(variableProduct(sku, ['S', 'M', 'L']));
    shop.sandbox.resetStats();
    const added = await shop.push(id);
    assert.equal(added.status, 'written');
    assert.deepEqual(shop.sandbox.stats().byRoute, { 'POST /variants': 1 });
    assert.deepEqual(state().variantsOf(remote).map((v) => v.sku), [`${sku}-S`, `${sku}-M`, `${sku}-L`]);
    // M left out of the document: deactivated in the POS, deleted in eCom (L moves up a position: its sortOrder is written).
    const doc = variableProduct(sku, ['S', 'L']);
    await shop.save(doc);
    shop.sandbox.resetStats();
    await shop.push(id);
    assert.equal(shop.sandbox.stats().byRoute['DELETE /variants/{id}'], 1);
    assert.deepEqual(state().variantsOf(remote).map((v) => v.sku), [`${sku}-S`, `${sku}-L`]);
    const links = await stack.db('product_links').where({ connection_id: shop.connectionId, product_id: id }).whereNotNull('variant_id');
    assert.equal(links.length, 2);
    // Every variant inactive: eCom keeps at least one variant, so the product is hidden instead.
    await shop.save({ ...doc, variants: doc.variants.map((v) => ({ ...v, active: false })) });
    const none = await shop.push(id);
    assert.equal(none.status, 'hidden', JSON.stringify(none));
    assert.equal(state().products.get(remote)!.visibility, 'hidden');
    assert.equal(state().variantsOf(remote).length, 2);
  });

  it('a product or a variant deleted in eCom is created again by the next push that writes it', async () => {
    const sku = uniqueSku('PD');
    const id = await shop.save(variableProduct(sku, ['S', 'M']));
    await shop.push(id);
    const first = (await remoteProductId(id))!;
    const [, m] = state().variantsOf(first);
    state().variants.delete(m!.id);
    const doc = variableProduct(sku, ['S', 'M']);
    doc.variants[1]!.retail_price = 30;
    await shop.save(doc);
    const again = await shop.push(id);
    assert.equal(again.status, 'written');
    assert.deepEqual(state().variantsOf(first).map((v) => [v.sku, v.priceIncl]), [[`${sku}-S`, 20], [`${sku}-M`, 30]]);
    // The whole product deleted in eCom (its variants with it).
    for (const v of state().variantsOf(first)) state().variants.delete(v.id);
    state().products.delete(first);
    await shop.save({ ...doc, name: 'Renamed in the POS' });
    const recreated = await shop.push(id);
    assert.equal(recreated.status, 'created', JSON.stringify(recreated));
    const second = (await remoteProductId(id))!;
    assert.notEqual(second, first);
    assert.deepEqual(state().variantsOf(second).map((v) => v.sku), [`${sku}-S`, `${sku}-M`]);
    assert.equal(state().products.get(second)!.text.nl!.title, 'Renamed in the POS');
  });

  it('archive: the route archives (idempotent), the push deletes the eCom product and drops its links; it is never created again', async () => {
    const sku = uniqueSku('PA');
    const id = await shop.save(variableProduct(sku, ['S', 'M']));
    await shop.push(id);
    const remote = (await remoteProductId(id))!;
    const version = Number((await stack.db('products').where({ id }).first('version')).version);
    const res = await shop.api.post(`/api/products/${id}/archive`, {});
    assert.deepEqual([res.status, res.data], [200, { id, sku, archived: true, changed: true }]);
    const row = await stack.db('products').where({ id }).first('archived', 'active', 'version');
    assert.deepEqual([row.archived, row.active, Number(row.version)], [true, false, version + 1]);
    const again = await shop.api.post(`/api/products/${id}/archive`, {});
    assert.deepEqual([again.status, again.data.changed], [200, false]);
    assert.equal(Number((await stack.db('products').where({ id }).first('version')).version), version + 1, 'archiving twice changes nothing');

    const out = await shop.push(id);
    assert.deepEqual([out.status, out.writes], ['deleted', 1]);
    assert.equal(state().products.has(remote), false);
    assert.equal(state().variantsOf(remote).length, 0);
    assert.equal((await stack.db('product_links').where({ connection_id: shop.connectionId, product_id: id })).length, 0);
    assert.equal((await stack.db('ecom_objects').where({ connection_id: shop.connectionId, product_id: id })).length, 0);
    const later = await shop.push(id);
    assert.deepEqual([later.status, later.requests], ['skipped', 0]);
    const resave = await shop.api.post('/api/products', variableProduct(sku, ['S', 'M']));
    assert.equal(resave.status, 400);
    assert.match(JSON.stringify(resave.data), /archived/);
  });

  it('archive route: 400 for a malformed id, 404 for an unknown one, nothing written; the CLI archives by SKU', async () => {
    const before = await stack.db('push_outbox').count({ n: '*' }).first();
    for (const bad of ['abc', '0', '-3', '1.5']) {
      const res = await shop.api.post(`/api/products/${bad}/archive`, {});
      assert.equal(res.status, 400, bad);
      assert.match(JSON.stringify(res.data), /positive id/);
    }
    for (const unknown of ['99999999', '9999999999']) {
      const res = await shop.api.post(`/api/products/${unknown}/archive`, {});
      assert.equal(res.status, 404, unknown);
    }
    const sku0 = uniqueSku('PB');
    const id0 = await shop.save(simpleProduct(sku0));
    const withFields = await shop.api.post(`/api/products/${id0}/archive`, { archived: false });
    assert.equal(withFields.status, 400);
    assert.match(JSON.stringify(withFields.data), /takes no fields/);
    assert.equal((await stack.db('products').where({ id: id0 }).first('archived')).archived, false);
    assert.deepEqual(await stack.db('push_outbox').whereNot({ product_id: id0 }).count({ n: '*' }).first(), before);

    const sku = uniqueSku('PC');
    const id = await shop.save(simpleProduct(sku));
    const { stdout } = await runCli(stack, 'archive', sku);
    assert.match(stdout, new RegExp(`archived ${sku}`));
    assert.equal((await stack.db('products').where({ id }).first('archived')).archived, true);
    const never = await shop.push(id);
    assert.deepEqual([never.status, never.requests], ['skipped', 0]);
    assert.equal([...state().variants.values()].some((v) => v.sku === sku), false);
  });
});
