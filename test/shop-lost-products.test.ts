// Issue 8 point 1: a shop that lost products (deleted by the merchant, an old backup restored, a
// sandbox that lost its state) while the POS keeps its links. Every push path relinks (a product of
// the shop holding our SKU is adopted) or creates again; none leaves a failure behind. Against the
// sandbox, and against a real store with WOO_CONTRACT_URL and keys.
import assert from 'node:assert/strict';
import { contractShop, type ContractShop } from './helpers/contract-shop';
import { freshShop, uniqueSku, waitFor, type TestShop } from './helpers/shop';
import { catalogSyncWorkflowId } from '../workflows/contracts/catalog-sync';
import type { catalogSync } from '../workflows/catalog-sync';
import type { WooClient } from '../activities/woocommerce/client';
import { useTestStack, TEST_HANG_GUARD_MS } from './helpers/suite-setup';

interface Item {
  sku: string;
  productId: number;
  /** The stock the POS holds, which the shop must show in the end. */
  stock: number;
}

describe('a shop that lost products (issue 8 point 1)', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  let shop: ContractShop | undefined;
  let sandboxShop: TestShop | undefined;

  afterEach(async () => {
    await shop?.close();
    await sandboxShop?.sandbox.close();
    shop = undefined;
    sandboxShop = undefined;
  });

  const connection = () => (shop ?? sandboxShop)!;

  /** Creates the products in the POS with stock, and waits until the shop shows them. */
  async function linkedProducts(client: WooClient, prefix: string): Promise<{ simple: Item[]; variable: Item; sizes: Item[] }> {
    const c = connection();
    const simple: Item[] = [];
    for (const n of [1, 2, 3, 4]) {
      const sku = uniqueSku(`${prefix}${n}`);
      const res = await c.api.post('/api/products', { sku, type: 'simple', name: `Lost ${sku}`, retail_price: 9, channels: ['in_store', 'online'] });
      assert.equal(res.status, 201, JSON.stringify(res.data));
      simple.push({ sku, productId: res.data.id, stock: 10 });
    }
    const vsku = uniqueSku(`${prefix}V`);
    const res = await c.api.post('/api/products', {
      sku: vsku, type: 'variable', name: `Lost shirt ${vsku}`, channels: ['in_store', 'online'], attributes: [{ name: 'Size', options: ['S', 'M'] }],
      variants: ['S', 'M'].map((s) => ({ sku: `${vsku}-${s}`, retail_price: 15, attributes: [{ name: 'Size', option: s }] })),
    });
    assert.equal(res.status, 201, JSON.stringify(res.data));
    const variable: Item = { sku: vsku, productId: res.data.id, stock: 0 };
    const sizes = ['S', 'M'].map((s) => ({ sku: `${vsku}-${s}`, productId: res.data.id, stock: 10 }));
    const stocked = [...simple, ...sizes];
    const order = await c.api.post('/api/stock-orders', { outlet_id: c.outletId, lines: stocked.map((i) => ({ sku: i.sku, received: 10 })) });
    assert.equal(order.status, 201, JSON.stringify(order.data));
    await waitFor('the products in the shop with their stock', async () => {
      for (const i of stocked) if ((await shopHolding(client, i.sku))[0]?.stock_quantity !== 10) return false;
      return true;
    });
    await waitFor('the links', async () => {
      for (const i of [...simple, variable]) if (!(await linkOf(i.productId))) return false;
      return true;
    });
    return { simple, variable, sizes };
  }

  /** The live (not trashed) shop products or variations holding this SKU. */
  async function shopHolding(client: WooClient, sku: string): Promise<Array<{ id: number; stock_quantity: number | null }>> {
    const page = await client.listProducts({ sku, per_page: 10 });
    if (page.items.length > 0) return page.items.filter((p) => p.status !== 'trash');
    const parentSku = sku.replace(/-[SM]$/, '');
    if (parentSku === sku) return [];
    const parent = (await client.listProducts({ sku: parentSku, per_page: 10 })).items.filter((p) => p.status !== 'trash');
    if (parent.length !== 1) return [];
    return (await client.listAllVariations(parent[0]!.id)).filter((v) => v.sku === sku);
  }

  const linkOf = (productId: number) =>
    stack.db('product_links').where({ connection_id: connection().connectionId, product_id: productId }).whereNull('variant_id').first('remote_id');

  async function runCatalogSync(tag: string) {
    return stack.client.workflow.execute<typeof catalogSync>('catalogSync', {
      workflowId: `${catalogSyncWorkflowId(connection().connectionId)}-${tag}`, taskQueue: stack.config.temporal.taskQueue,
      args: [{ connectionId: connection().connectionId }],
    });
  }

  /** Each SKU held once by the shop with the POS stock, its link pointing there, and no failure left. */
  async function converged(client: WooClient, items: Item[], what: string): Promise<void> {
    const c = connection();
    await waitFor(what, async () => {
      for (const i of items) {
        const held = await shopHolding(client, i.sku);
        if (held.length !== 1 || held[0]!.stock_quantity !== i.stock) return false;
      }
      return true;
    });
    for (const i of items.filter((x) => !/-[SM]$/.test(x.sku))) {
      const held = (await client.listProducts({ sku: i.sku, per_page: 10 })).items.filter((p) => p.status !== 'trash');
      assert.equal(Number((await linkOf(i.productId))?.remote_id), held[0]!.id, `the link of ${i.sku} points at the shop's product`);
    }
    await waitFor('no push failure left', async () => {
      const failures = await stack.db('push_failures').where({ connection_id: c.connectionId }).whereIn('product_id', items.map((i) => i.productId));
      return failures.length === 0 || (console.log('      push_failures:', JSON.stringify(failures)), false);
    });
  }

  it('products deleted for good in the shop, one of them brought back by an old backup under another id: the edit push, the batched stock push and the catalog sync recreate or adopt', async () => {
    shop = await contractShop(stack);
    const client = shop.client;
    const { simple, variable, sizes } = await linkedProducts(client, 'LOST');
    const [edited, sold, synced, restored] = simple as [Item, Item, Item, Item];
    const remote = async (i: Item) => Number((await linkOf(i.productId))!.remote_id);
    for (const i of [edited, sold, synced, restored, variable]) await client.deleteProduct(await remote(i), { force: true });
    // The backup holds the product under a new id, with its stock of back then.
    const adopted = await client.createProduct({ name: `From the backup ${restored.sku}`, sku: restored.sku, manage_stock: true, stock_quantity: 3 } as never);

    assert.equal((await shop.api.post('/api/products', { sku: edited.sku, type: 'simple', name: `Lost ${edited.sku} v2`, retail_price: 9, channels: ['in_store', 'online'] })).status, 200);
    const sale = await shop.api.post('/api/sales', { register_id: shop.registerId, lines: [{ sku: sold.sku, quantity: 2 }, { sku: sizes[0]!.sku, quantity: 1 }, { sku: restored.sku, quantity: 1 }] });
    assert.equal(sale.status, 201, JSON.stringify(sale.data));
    sold.stock = 8;
    sizes[0]!.stock = 9;
    restored.stock = 9;
    await runCatalogSync('lost');
    await converged(client, [...simple, ...sizes], 'every SKU once in the shop with the POS stock');
    assert.equal(Number((await linkOf(restored.productId))!.remote_id), adopted.id, 'the product of the backup is adopted, not created twice');
  });

  it('the catalog sync alone converges: links to deleted products (one SKU held by a product of an old backup), and links the POS lost while the shop kept the products', async () => {
    shop = await contractShop(stack);
    const client = shop.client;
    const { simple, variable, sizes } = await linkedProducts(client, 'CSYNC');
    const [deleted, restored, forgotten] = simple as [Item, Item, Item, Item];
    const remote = async (i: Item) => Number((await linkOf(i.productId))!.remote_id);
    const forgottenId = await remote(forgotten);
    for (const i of [deleted, restored, variable]) await client.deleteProduct(await remote(i), { force: true });
    const adopted = await client.createProduct({ name: `From the backup ${restored.sku}`, sku: restored.sku, manage_stock: true, stock_quantity: 3 } as never);
    // The POS forgot this link; the shop still holds the product (its SKU would be refused to a create).
    await stack.db('product_links').where({ connection_id: shop.connectionId, product_id: forgotten.productId }).delete();

    const result = await runCatalogSync('alone');
    assert.equal(result.failed, 0);
    await converged(client, [...simple, ...sizes], 'every SKU once in the shop with the POS stock');
    assert.equal(Number((await linkOf(restored.productId))!.remote_id), adopted.id, 'the backup product is adopted');
    assert.equal(Number((await linkOf(forgotten.productId))!.remote_id), forgottenId, 'the forgotten link is found again by SKU');
  });

  it('a sandbox that lost its whole state (ids start again): sales, edits and the catalog sync converge', async () => {
    sandboxShop = await freshShop(stack);
    const { sandbox } = sandboxShop;
    const client = stack.woo.get(sandboxShop.connectionId);
    const { simple, sizes } = await linkedProducts(client, 'WIPE');
    sandbox.reset();
    // A product made after the wipe takes an id the links still name.
    const newcomer = uniqueSku('WIPENEW');
    const made = await sandboxShop.api.post('/api/products', { sku: newcomer, type: 'simple', name: `New ${newcomer}`, retail_price: 5, channels: ['in_store', 'online'] });
    assert.equal(made.status, 201);
    const newcomerInShop = await waitFor('the newcomer in the shop', () => sandbox.state.findBySku(newcomer));
    await waitFor('the newcomer linked', async () => Number((await linkOf(made.data.id))?.remote_id) === newcomerInShop.id);

    const sale = await sandboxShop.api.post('/api/sales', { register_id: sandboxShop.registerId, lines: [{ sku: simple[0]!.sku, quantity: 1 }, { sku: sizes[1]!.sku, quantity: 1 }] });
    assert.equal(sale.status, 201);
    simple[0]!.stock = 9;
    sizes[1]!.stock = 9;
    assert.equal((await sandboxShop.api.post('/api/products', { sku: simple[1]!.sku, type: 'simple', name: `Renamed ${simple[1]!.sku}`, retail_price: 9, channels: ['in_store', 'online'] })).status, 200);
    await runCatalogSync('wipe');
    await converged(client, [...simple, ...sizes, { sku: newcomer, productId: made.data.id, stock: 0 }], 'every SKU once in the wiped shop');
    assert.equal(sandbox.state.findBySku(newcomer).name, `New ${newcomer}`, 'no push wrote another product over the newcomer');
  });
});
