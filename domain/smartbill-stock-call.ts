import crypto from 'node:crypto';

/**
 * What SmartBill sends to a shop's stock receiver, read exactly as the SmartBill WooCommerce plugin
 * (3.4.6, `class-smartbill-woocommerce-public.php`) reads it (apis.md §3.4, M-D2, M-D3): a JSON body
 * that is `{"products":[…]}` or a bare array of `{warehouse, productCode, productName, quantity,
 * measuringUnit?}`; an empty list is SmartBill's "test" call. Quantities are absolute levels.
 */
export interface SmartBillStockItem {
  warehouse: string;
  /** Trimmed; empty when SmartBill does not use codes (then the name matches). */
  productCode: string;
  productName: string;
  /**
   * The level to set, as WooCommerce stores it: the plugin hands SmartBill's quantity to
   * `wc_update_product_stock`, whose `wc_stock_amount` is PHP `intval`, so 2.7 becomes 2 and
   * -1.5 becomes -1 (truncated toward zero).
   */
  quantity: number;
  /** SmartBill's own quantity, before truncation (kept for the report). */
  sentQuantity: number;
  measuringUnit?: string;
}

export interface SmartBillItemRefusal {
  index: number;
  message: string;
}

export type StockCall =
  | { ok: true; test: boolean; items: SmartBillStockItem[]; refused: SmartBillItemRefusal[] }
  | { ok: false; status: 400; message: string };

/** The plugin's answers, word for word, so SmartBill's "test connection" reads what it expects. */
export const pluginTexts = {
  syncOff: 'Sincronizarea stocului este oprita. Porneste sincronizarea stocurilor din setarile modulului SmartBill apoi incearca din nou.',
  badJson: 'Eroare sintaxa. Verifica valididatea JSON-ului trimis.',
  authFailed: 'Autentificare esuata. Asigura-te ca tokenul folosit pentru trimiterea notificarii de stoc este corect si ca serverul tau permite autentificarea prin headers.',
  testOk: 'Testul de sincronizare stoc a fost facut cu succes!',
  warehouseNotSet: 'Eroare actualizare stoc. Gestiunea monitorizata nu a fost setata in modulul SmartBill.',
  updated: (id: number | string, item: Pick<SmartBillStockItem, 'productCode' | 'productName' | 'sentQuantity'>) =>
    item.productCode
      ? `Stoc actualizat pentru produsul cu id-ul ${id} si codul ${item.productCode}. Stoc nou: ${item.sentQuantity}`
      : `Stoc actualizat pentru produsul cu id-ul ${id} si numele ${item.productName}. Stoc nou: ${item.sentQuantity}`,
  notFound: (item: Pick<SmartBillStockItem, 'productCode' | 'productName'>) =>
    item.productCode
      ? `Eroare actualizare stoc. Produsul cu codul ${item.productCode} nu a fost gasit in nomenclatorul WooCommerce.`
      : `Eroare actualizare stoc. Produsul cu numele ${item.productName} nu a fost gasit in nomenclatorul WooCommerce.`,
  warehouseMismatch: (configured: string, item: Pick<SmartBillStockItem, 'productName' | 'warehouse'>) =>
    `Eroare actualizare stoc. Gestiune configurata in modul: ${configured}. Gestiunea produsului ${item.productName}: ${item.warehouse}`,
} as const;

/** The plugin's text answer: one JSON-quoted line per message, then WordPress's `null`. */
export function pluginTextAnswer(lines: string[]): string {
  return lines.map((l) => `${JSON.stringify(l)}\n`).join('') + 'null';
}

export function parseStockCall(raw: string): StockCall {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return { ok: false, status: 400, message: pluginTexts.badJson };
  }
  if (body === null) return { ok: false, status: 400, message: pluginTexts.badJson };
  const list = Array.isArray(body) ? body : isRecord(body) && Array.isArray(body.products) ? body.products : undefined;
  if (!list) {
    return { ok: false, status: 400, message: 'Eroare sintaxa: se asteapta {"products":[…]} sau o lista de produse (expected {"products":[…]} or an array of products).' };
  }
  const items: SmartBillStockItem[] = [];
  const refused: SmartBillItemRefusal[] = [];
  list.forEach((entry, index) => {
    const item = readItem(entry);
    if (typeof item === 'string') refused.push({ index, message: item });
    else items.push(item);
  });
  return { ok: true, test: list.length === 0, items, refused };
}

function readItem(entry: unknown): SmartBillStockItem | string {
  if (!isRecord(entry)) return 'Eroare actualizare stoc. Produsul trimis nu este un obiect (the item is not an object).';
  const name = typeof entry.productName === 'string' ? entry.productName : '';
  const code = typeof entry.productCode === 'string' ? entry.productCode.trim() : typeof entry.productCode === 'number' ? String(entry.productCode) : '';
  const label = code || name || '(fara nume)';
  if (typeof entry.warehouse !== 'string' || entry.warehouse.trim() === '') {
    return `Eroare actualizare stoc. Produsul ${label} nu are gestiune (warehouse is missing).`;
  }
  if (!code && !name.trim()) return 'Eroare actualizare stoc. Produsul nu are nici cod, nici nume (productCode and productName are both empty).';
  const q = typeof entry.quantity === 'number' ? entry.quantity : typeof entry.quantity === 'string' && entry.quantity.trim() !== '' ? Number(entry.quantity) : NaN;
  // The plugin would store 0 for a quantity it cannot read (PHP intval); possync refuses the item instead.
  if (!Number.isFinite(q)) return `Eroare actualizare stoc. Cantitatea produsului ${label} nu este un numar (quantity ${JSON.stringify(entry.quantity ?? null)} is not a number).`;
  const quantity = Math.trunc(q);
  if (Math.abs(quantity) > 2_147_483_647) return `Eroare actualizare stoc. Cantitatea produsului ${label} este prea mare (quantity out of range).`;
  return {
    warehouse: entry.warehouse,
    productCode: code,
    productName: name,
    quantity: quantity === 0 ? 0 : quantity,
    sentQuantity: q,
    measuringUnit: typeof entry.measuringUnit === 'string' ? entry.measuringUnit : undefined,
  };
}

/**
 * The plugin's token check: `strtolower(substr($authorization, 7)) == $token`. Here in constant time,
 * both sides lower-cased, and only with a `Bearer ` scheme.
 */
export function bearerTokenMatches(authorization: string | undefined, token: string): boolean {
  if (!authorization || !/^bearer /i.test(authorization) || !token) return false;
  const given = crypto.createHash('sha256').update(authorization.slice(7).trim().toLowerCase()).digest();
  const expected = crypto.createHash('sha256').update(token.trim().toLowerCase()).digest();
  return crypto.timingSafeEqual(given, expected);
}

/** SmartBill compares warehouses (gestiuni) case-insensitively (M-D5). */
export const sameWarehouse = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
