import type { Command } from 'commander';
import { shopViewWorkflowId, type ShopFields, type ShopViewItem, type ShopViewResult } from '../../workflows/contracts/shop-view';
import type { shopView } from '../../workflows/shop-view';
import { cliContext, type CliContext } from './context';

/** Reads a shop through the `shopView` workflow (the CLI never calls a shop itself). */
export async function readShopView(ctx: CliContext, connectionId: string, sku: string): Promise<ShopViewResult> {
  const client = await ctx.temporal();
  return client.workflow.execute<typeof shopView>('shopView', {
    workflowId: shopViewWorkflowId(connectionId, sku, Date.now()),
    taskQueue: ctx.opts.taskQueue,
    args: [{ connectionId, sku }],
    // Without a worker this would wait for ever; the timeout says so instead.
    workflowExecutionTimeout: '3 minutes',
  });
}

const FIELDS: (keyof ShopFields)[] = ['status', 'sku', 'name', 'manage_stock', 'stock_quantity', 'regular_price', 'sale_price'];
const show = (v: unknown): string => (v === undefined ? '' : v === null ? 'null' : v === '' ? '""' : String(v));

function itemLines(i: ShopViewItem): string[] {
  const shop = i.shop
    ? `shop #${i.shop.id}${i.shop.type ? ` (${i.shop.type})` : ''}, stock status ${i.shop.stock_status}, modified ${i.shop.date_modified_gmt ?? '?'} UTC`
    : 'not in the shop';
  const link = i.linkedRemoteId !== null && i.shop?.id !== i.linkedRemoteId ? `  (linked to #${i.linkedRemoteId})` : '';
  const head = `  ${i.label}: ${shop}${link}${i.differences.length ? `  DIFFERS: ${i.differences.join(', ')}` : i.shop && i.pos ? '  same' : ''}`;
  if (!i.shop && !i.pos) return [head];
  const rows = FIELDS.filter((f) => (i.shop && f in i.shop) || (i.pos && f in i.pos)).map((f) => {
    const mark = i.differences.includes(f) ? '  <- differs' : '';
    return `      ${f.padEnd(15)} ${show(i.shop?.[f]).padEnd(28)} ${show(i.pos?.[f]).padEnd(28)}${mark}`;
  });
  return [head, `      ${'field'.padEnd(15)} ${'shop'.padEnd(28)} ${'POS would push'.padEnd(28)}`, ...rows];
}

export function describeShopView(r: ShopViewResult): string {
  const head = r.pos
    ? `${r.pos.sku} "${r.pos.name}" in ${r.connectionId}: POS product ${r.pos.productId} (${r.pos.type}, version ${r.pos.version}, stock of outlets ${r.pos.outletIds.join(', ')})`
    : `${r.sku} in ${r.connectionId}: the POS has no product or variant with this SKU`;
  const differing = r.items.filter((i) => i.differences.length > 0).length;
  const verdict = r.shopError
    ? `the shop could not be read: ${r.shopError}`
    : r.items.length === 0 ? 'the shop has nothing with this SKU'
      : differing === 0 ? 'the shop holds what the POS would push' : `${differing} of ${r.items.length} items differ from what the POS would push`;
  return [head, ...r.items.flatMap(itemLines), verdict].join('\n');
}

export function registerShopCommands(program: Command): void {
  program
    .command('shop <connectionId> <sku>')
    .description('what the shop holds for a SKU (id, status, stock, price, name, variations) beside what the POS would push, differences marked')
    .action(async (connectionId: string, sku: string, _o, cmd: Command) => {
      const ctx = cliContext(cmd);
      const result = await readShopView(ctx, connectionId, sku);
      ctx.print(describeShopView(result), result);
    });
}

export interface StockMatch {
  connectionId: string;
  /** undefined when the shop could not be read. */
  matches?: boolean;
  error?: string;
  items: { label: string; shop: number | null | undefined; pos: number | null | undefined; matches: boolean }[];
}

/** Issue 8.5: the shop's stock per linked product/variant beside the POS stock it should have. */
export function stockMatch(r: ShopViewResult): StockMatch {
  if (r.shopError) return { connectionId: r.connectionId, error: r.shopError, items: [] };
  // A variable parent manages no stock of its own: its variations carry it.
  // An item whose stock SmartBill owns in this shop (M-D8) has no POS stock to match.
  const items = r.items.filter((i) => !(i.pos && !('stock_quantity' in i.pos)))
    .filter((i) => i.pos?.manage_stock !== false || i.shop?.manage_stock === true).map((i) => ({
    label: i.label,
    shop: i.shop ? i.shop.stock_quantity : undefined,
    pos: i.pos ? i.pos.stock_quantity : undefined,
    matches: !!i.shop && !!i.pos && i.shop.stock_quantity === i.pos.stock_quantity,
  }));
  return { connectionId: r.connectionId, matches: items.every((i) => i.matches), items };
}

export function stockMatchLines(m: StockMatch): string[] {
  if (m.error !== undefined) return [`shop stock in ${m.connectionId}: UNKNOWN, the shop could not be read: ${m.error}`];
  const side = (v: number | null | undefined) => (v === undefined ? 'absent' : v === null ? 'not managed' : String(v));
  const mismatched = m.items.filter((i) => !i.matches).length;
  return [
    m.matches
      ? `shop stock in ${m.connectionId}: MATCHES the POS (${m.items.length} item${m.items.length === 1 ? '' : 's'})`
      : `shop stock in ${m.connectionId}: MISMATCH in ${mismatched} of ${m.items.length} items (a push may still be on its way: see the workflows above)`,
    ...m.items.map((i) => `  ${i.label}: shop ${side(i.shop)}, POS ${side(i.pos)}${i.matches ? '' : '  <- differs'}`),
  ];
}
