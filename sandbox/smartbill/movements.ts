import { Prng } from '../woocommerce/prng';
import type { StockBook } from './stock-book';
import type { MovementRunOptions, MovementRunResult, SmartBillStockLine, StockCallTarget } from './types';


/** One call to a stock receiver, as SmartBill makes it (POST, JSON, `Authorization: Bearer <token>`). */
export async function sendStockCall(target: StockCallTarget, items: SmartBillStockLine[]): Promise<{ status: number; body: string }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (!target.stripAuthorization) headers.authorization = `Bearer ${target.token}`;
  const payload = target.shape === 'array' ? items : { products: items };
  const res = await fetch(target.url, { method: 'POST', headers, body: JSON.stringify(payload) });
  return { status: res.status, body: await res.text() };
}

/**
 * Stock moving in SmartBill (invoices, receipts): each movement changes one product's level in the
 * book and SmartBill sends the new absolute level; the lines of one document go in one call.
 */
export async function runMovements(book: StockBook, target: StockCallTarget, opts: MovementRunOptions): Promise<MovementRunResult> {
  const random = new Prng(opts.seed ?? 1);
  const perCall = Math.max(1, opts.itemsPerCall ?? 5);
  const calls: SmartBillStockLine[][] = [];
  const lastLevels = new Map<string, number>();
  for (let made = 0; made < opts.count; made += perCall) {
    const lines: SmartBillStockLine[] = [];
    for (let i = 0; i < Math.min(perCall, opts.count - made); i += 1) {
      const p = random.pick(opts.products);
      const key = p.productCode || p.productName;
      const before = book.level(opts.warehouse, key) ?? Math.floor(random.next() * 50);
      const quantity = Math.max(0, before + Math.floor(random.next() * 11) - 6);
      const line = { warehouse: opts.warehouse, productCode: p.productCode, productName: p.productName, measuringUnit: p.measuringUnit ?? 'buc', quantity };
      book.set(line, new Date());
      lastLevels.set(key, quantity);
      lines.push(line);
    }
    calls.push(lines);
  }
  const statuses: number[] = new Array(calls.length);
  const latenciesMs: number[] = new Array(calls.length);
  let next = 0;
  const lane = async () => {
    while (next < calls.length) {
      const i = next++;
      const started = performance.now();
      statuses[i] = (await sendStockCall(target, calls[i]!)).status;
      latenciesMs[i] = performance.now() - started;
    }
  };
  // Calls of one lane keep their order; with several lanes a later level may arrive first, as it can from SmartBill.
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 1) }, lane));
  return { calls: calls.length, items: calls.reduce((n, c) => n + c.length, 0), statuses, lastLevels, latenciesMs };
}
