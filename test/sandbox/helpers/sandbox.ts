// Starts one sandbox per test file; every test begins with an empty store and no faults.
import { type WooSandbox, type WooSandboxOptions, startWooSandbox } from '../../../sandbox/woocommerce';
import { woo } from './woo-http';

export function useSandbox(opts: WooSandboxOptions = {}): () => WooSandbox {
  let sandbox: WooSandbox | undefined;
  before(async () => {
    sandbox = await startWooSandbox(opts);
  });
  beforeEach(() => {
    sandbox!.reset();
    sandbox!.resetFaults();
    sandbox!.setLatency({ perRequestMs: 0, perObjectMs: 0, jitterMs: 0 });
    sandbox!.setConcurrency(opts.concurrency ?? 8);
  });
  after(async () => {
    await sandbox?.close();
  });
  return () => {
    if (!sandbox) throw new Error('sandbox not started');
    return sandbox;
  };
}

/** Creates a product through the API and returns its body (fails the test on an error). */
export async function createProduct(sandbox: WooSandbox, body: Record<string, unknown>): Promise<any> {
  const res = await woo(sandbox, { method: 'POST', path: '/products', body });
  if (res.status !== 201) throw new Error(`create product failed: ${res.status} ${res.text}`);
  return res.body;
}

export async function createVariation(sandbox: WooSandbox, productId: number, body: Record<string, unknown>): Promise<any> {
  const res = await woo(sandbox, { method: 'POST', path: `/products/${productId}/variations`, body });
  if (res.status !== 201) throw new Error(`create variation failed: ${res.status} ${res.text}`);
  return res.body;
}

/** A variable product with a Size attribute and one managed variation per size. */
export async function variableProduct(sandbox: WooSandbox, sku: string, sizes: string[] = ['S', 'M']): Promise<{ parent: any; variations: any[] }> {
  const parent = await createProduct(sandbox, {
    name: `Hoodie ${sku}`,
    type: 'variable',
    sku,
    attributes: [{ name: 'Size', visible: true, variation: true, options: sizes }],
  });
  const variations = [];
  for (const [i, size] of sizes.entries()) {
    variations.push(
      await createVariation(sandbox, parent.id, {
        sku: `${sku}-${size}`,
        regular_price: String(30 + i),
        manage_stock: true,
        stock_quantity: 5 + i,
        attributes: [{ name: 'Size', option: size }],
      }),
    );
  }
  return { parent, variations };
}
