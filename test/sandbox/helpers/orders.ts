// Shop set-ups and order helpers shared by the order and webhook tests.
import type { WooSandbox } from '../../../sandbox/woocommerce';
import { createProduct, variableProduct } from './sandbox';
import { woo } from './woo-http';

export interface Shop {
  tee: any;
  hoodie: any;
  small: any;
  medium: any;
}

/** A managed simple product (stock 7, 18.00) and a variable one with S (30.00, stock 5) and M (31.00, stock 6). */
export async function smallShop(sandbox: WooSandbox): Promise<Shop> {
  const tee = await createProduct(sandbox, { name: 'Rig Simple Tee', sku: 'TEE', regular_price: '18.00', manage_stock: true, stock_quantity: 7 });
  const { parent, variations } = await variableProduct(sandbox, 'HOOD');
  return { tee, hoodie: parent, small: variations[0], medium: variations[1] };
}

export async function createOrder(sandbox: WooSandbox, body: Record<string, unknown>): Promise<any> {
  const res = await woo(sandbox, { method: 'POST', path: '/orders', body });
  if (res.status !== 201) throw new Error(`create order failed: ${res.status} ${res.text}`);
  return res.body;
}

export async function stockOf(sandbox: WooSandbox, productId: number, variationId?: number): Promise<number | null> {
  const path = variationId ? `/products/${productId}/variations/${variationId}` : `/products/${productId}`;
  return (await woo(sandbox, { path })).body.stock_quantity;
}

/** One order created at exactly `at` (seconds precision), through seedOrders. */
export function orderAt(sandbox: WooSandbox, at: string, status = 'completed'): number {
  const t = new Date(at);
  const { ids } = sandbox.seedOrders({ count: 1, createdAfter: t, createdBefore: new Date(t.getTime() + 1), statusWeights: { [status]: 1 }, linesPerOrder: [1, 1] });
  return ids[0]!;
}
