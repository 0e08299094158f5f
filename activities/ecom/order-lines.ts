import type { Knex } from 'knex';
import type { RemoteOrderLine } from '../../domain/remote-order';
import type { OrderChannel, ResolvedLine } from '../pos/order-apply';
import { resolveSkus } from '../pos/stock';

interface LinkRow {
  product_id: number;
  variant_id: number | null;
  remote_id: string;
  remote_parent_id: string | null;
  type: string;
}

/**
 * eCom order lines to POS items (M-C7). The writer links POS items to eCom variants
 * (product_links: POS variant → eCom variant id, with the eCom product as parent; a simple POS
 * product → its eCom product), so a line is found by its variant's link first, by its product's
 * link for a simple product second, and by the SKU (or article code) copied onto the line last.
 * Nothing is created or linked from an order: the catalog flows POS → eCom only (M-C4). A line
 * that matches nothing is reported; the order's other lines still deduct (they were sold).
 */
export const ecomOrderChannel: OrderChannel = {
  referenceType: 'ecom_order',
  unmatched: 'apply-matched',
  async resolver(trx: Knex.Transaction, connection, orders) {
    const lines = orders.flatMap((o) => o.lines);
    const remoteIds = [...new Set(lines.flatMap((l) => [l.remoteVariationId, l.remoteProductId]).filter((id) => id > 0))];
    const links: LinkRow[] = remoteIds.length === 0 ? [] : await trx('product_links as l')
      .join('products as p', 'p.id', 'l.product_id')
      .where('l.connection_id', connection.id).whereIn('l.remote_id', remoteIds)
      .select('l.product_id', 'l.variant_id', 'l.remote_id', 'l.remote_parent_id', 'p.type');
    const bySku = await resolveSkus(trx, lines.map((l) => l.sku).filter((s): s is string => !!s));
    return async (line: RemoteOrderLine): Promise<ResolvedLine> => {
      const linked = byLink(links, line);
      if (linked) return linked;
      const item = line.sku ? bySku.get(line.sku) : undefined;
      if (item) return item;
      const code = line.sku ? `SKU "${line.sku}"` : 'no SKU';
      return {
        problem: `line "${line.name}" (eCom variant ${line.remoteVariationId || 'deleted'}, ${code}): no POS item is linked to it or has its SKU, so its ${line.reducedStock} units were not deducted`,
      };
    };
  },
};

function byLink(links: LinkRow[], line: RemoteOrderLine): ResolvedLine | undefined {
  const sameParent = (l: LinkRow) => l.remote_parent_id === null || Number(l.remote_parent_id) === line.remoteProductId;
  const variant = line.remoteVariationId > 0
    ? links.find((l) => Number(l.remote_id) === line.remoteVariationId && (l.variant_id !== null ? sameParent(l) : l.remote_parent_id !== null && sameParent(l)))
    : undefined;
  const row = variant ?? links.find((l) => l.variant_id === null && l.remote_parent_id === null && Number(l.remote_id) === line.remoteProductId);
  if (!row) return undefined;
  if (row.variant_id === null && row.type === 'variable') return 'variable';
  return { sku: line.sku ?? '', productId: row.product_id, variantId: row.variant_id };
}
