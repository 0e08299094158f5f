// Issue 8.4: a read-only web page of the sandbox store, so a new user can watch the shop without
// keys: its products and variations with SKU, stock, price and last change, refreshing itself.
// `GET /` is the page, `GET /store.json` the same data for its polling script. Nothing here writes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ProductRecord } from './model';
import type { Store } from './store';

export const STOREFRONT_JSON_PATH = '/store.json';
const REFRESH_MS = 2000;

export interface StorefrontItem {
  id: number;
  sku: string;
  name: string;
  type: string;
  status: string;
  /** null when the item does not manage stock (then stock_status says it). */
  stock_quantity: number | null;
  stock_status: string;
  regular_price: string;
  sale_price: string;
  /** ISO 8601, UTC. */
  date_modified_gmt: string;
  variations?: StorefrontItem[];
}

export interface StorefrontView {
  products: StorefrontItem[];
  product_count: number;
  variation_count: number;
  order_count: number;
  last_change_gmt: string | null;
}

function item(r: ProductRecord): StorefrontItem {
  return {
    id: r.id, sku: r.sku, name: r.name, type: r.type, status: r.status,
    stock_quantity: r.manageStock ? r.stockQuantity : null, stock_status: r.stockStatus,
    regular_price: r.regularPrice, sale_price: r.salePrice, date_modified_gmt: new Date(r.modified).toISOString(),
  };
}

export function storefrontView(store: Store): StorefrontView {
  const all = [...store.posts.values()];
  const products = all.filter((r) => r.type !== 'variation').sort((a, b) => a.id - b.id).map((p) => {
    const out = item(p);
    if (p.type === 'variable') {
      out.variations = p.children.map((id) => store.variation(id)).filter((v): v is ProductRecord => v !== undefined).map(item);
    }
    return out;
  });
  const last = all.reduce((m, r) => Math.max(m, r.modified), 0);
  return {
    products,
    product_count: products.length,
    variation_count: all.length - products.length,
    order_count: store.orderBook.orders.size,
    last_change_gmt: last > 0 ? new Date(last).toISOString() : null,
  };
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function rowHtml(i: StorefrontItem, variation: boolean): string {
  const stock = i.stock_quantity ?? i.stock_status;
  const price = i.sale_price ? `<s>${escapeHtml(i.regular_price)}</s> ${escapeHtml(i.sale_price)}` : escapeHtml(i.regular_price);
  const cells = [i.id, variation ? `&nbsp;&nbsp;↳ ${escapeHtml(i.sku)}` : escapeHtml(i.sku), escapeHtml(i.name), i.type, i.status, stock, price, i.date_modified_gmt.replace('T', ' ').replace('.000Z', 'Z')];
  return `<tr class="${variation ? 'variation' : 'product'}${typeof stock === 'number' && stock < 0 ? ' negative' : ''}">${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
}

function summaryHtml(v: StorefrontView): string {
  return `${v.product_count} products, ${v.variation_count} variations, ${v.order_count} orders; last change ${v.last_change_gmt ?? 'never'}`;
}

function tableBodyHtml(v: StorefrontView): string {
  return v.products.map((p) => [rowHtml(p, false), ...(p.variations ?? []).map((x) => rowHtml(x, true))].join('')).join('\n');
}

function pageHtml(v: StorefrontView): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>WooCommerce sandbox store</title>
<noscript><meta http-equiv="refresh" content="${REFRESH_MS / 1000}"></noscript>
<style>body{font:14px system-ui,sans-serif;margin:1.5em}table{border-collapse:collapse}td,th{padding:2px 10px;text-align:left;border-bottom:1px solid #ddd}
tr.variation td{color:#555}tr.negative td{background:#fee}th{position:sticky;top:0;background:#fff}</style></head>
<body><h1>WooCommerce sandbox store</h1>
<p>Read-only view, refreshed every ${REFRESH_MS / 1000} s (data: <a href="${STOREFRONT_JSON_PATH}">${STOREFRONT_JSON_PATH}</a>). <span id="summary">${summaryHtml(v)}</span></p>
<table><thead><tr><th>id</th><th>SKU</th><th>name</th><th>type</th><th>status</th><th>stock</th><th>price</th><th>last change (UTC)</th></tr></thead>
<tbody id="rows">${tableBodyHtml(v)}</tbody></table>
<script>
// Fetches this page again and swaps the table and summary, so the view refreshes without flicker.
async function refresh() {
  try {
    const doc = new DOMParser().parseFromString(await (await fetch(location.pathname, { cache: 'no-store' })).text(), 'text/html');
    for (const id of ['rows', 'summary']) document.getElementById(id).replaceWith(doc.getElementById(id));
  } catch (e) {
    document.getElementById('summary').textContent = 'the store does not answer (' + e + ')';
  }
}
setInterval(refresh, ${REFRESH_MS});
</script></body></html>`;
}

/** Answers `GET /` and `GET /store.json` (true), or leaves the request to the caller (false). */
export function serveStorefrontPage(store: Store, req: IncomingMessage, res: ServerResponse): boolean {
  if ((req.method ?? 'GET').toUpperCase() !== 'GET') return false;
  const path = (req.url ?? '/').split('?')[0];
  if (path !== '/' && path !== STOREFRONT_JSON_PATH) return false;
  const view = storefrontView(store);
  const [type, body] = path === '/' ? ['text/html; charset=UTF-8', pageHtml(view)] : ['application/json; charset=UTF-8', JSON.stringify(view)];
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': String(bytes.length), 'Cache-Control': 'no-store' });
  res.end(bytes);
  return true;
}
