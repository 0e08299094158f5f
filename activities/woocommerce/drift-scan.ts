import { activityInfo, heartbeat } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../../db/connection';
import type { ProductSnapshot } from '../../domain/product';
import { toWooProduct, toWooVariation } from '../../domain/woo-mapping';
import type { DriftCounts, DriftInput, DriftKind, DriftPageResult } from '../../workflows/contracts/drift';
import { loadConnectionSnapshots } from '../pos/connection-outlets';
import { getConnection } from '../pos/connections';
import { linksOf, type ProductLink } from '../pos/links';
import { withHeartbeats } from '../heartbeat';
import type { WooClient } from './client';
import type { WooClients } from './product-push';
import { withWooErrors } from './product-push';
import { compareShopFields, pick, shopSide } from './shop-view';
import type { WooProduct } from './types';

/** Products per shop page: WooCommerce's largest, so the fewest requests. */
export const DRIFT_PAGE_SIZE = 100;

interface DriftRow {
  kind: DriftKind;
  sku: string;
  product_id: number | null;
  remote_id: number | null;
  fields: string[];
  shop: unknown;
  pos: unknown;
}

/** The shop products a page (or a `--sku` run) holds, with the requests it cost. */
async function shopPage(client: WooClient, sku: string | undefined, page: number): Promise<{ products: WooProduct[]; totalPages: number }> {
  if (sku === undefined) {
    const r = await client.listProducts({ page, per_page: DRIFT_PAGE_SIZE, status: 'any', orderby: 'id', order: 'asc' });
    return { products: r.items, totalPages: r.totalPages };
  }
  const found = await client.findBySkus([sku]);
  const products = found.filter((f): f is WooProduct => f.type !== 'variation');
  for (const parentId of new Set(found.filter((f) => f.type === 'variation').map((f) => (f as { parent_id: number }).parent_id))) {
    if (!products.some((p) => p.id === parentId)) products.push(await client.getProduct(parentId));
  }
  return { products, totalPages: 1 };
}

/**
 * Products whose push is on its way: a change no push has read yet, a row in the outbox or this
 * connection's queue, or a create in this shop not settled yet (the shop may hold it before the link).
 */
const IN_FLIGHT_SQL = (product: string, connection: string) => `(
  EXISTS (SELECT 1 FROM products pp WHERE pp.id = ${product} AND pp.push_pending)
  OR EXISTS (SELECT 1 FROM push_outbox o WHERE o.product_id = ${product})
  OR EXISTS (SELECT 1 FROM batch_push_queue q WHERE q.connection_id = ${connection} AND q.product_id = ${product})
  OR EXISTS (SELECT 1 FROM shop_creations sc WHERE sc.connection_id = ${connection} AND sc.product_id = ${product} AND sc.state = 'sent'))`;

async function inFlight(db: Db, connectionId: string, productIds: number[]): Promise<Set<number>> {
  if (productIds.length === 0) return new Set();
  const rows: { id: number }[] = (
    await db.raw(`SELECT x.id FROM unnest(?::int[]) AS x(id) WHERE ${IN_FLIGHT_SQL('x.id', '?')}`, [productIds, connectionId, connectionId])
  ).rows;
  return new Set(rows.map((r) => r.id));
}

/** A linked product beside the shop's: the product, then each variant (a missing variation is a difference too). */
async function linkedDrift(client: WooClient, shop: WooProduct, snap: ProductSnapshot, links: ProductLink[]): Promise<DriftRow[]> {
  const rows: DriftRow[] = [];
  const shopFields = pick(shopSide(shop, false));
  const posFields = pick(toWooProduct(snap));
  const fields = compareShopFields(shopFields, posFields);
  if (fields.length > 0) rows.push({ kind: 'differs', sku: snap.sku, product_id: snap.id, remote_id: shop.id, fields, shop: shopFields, pos: posFields });
  if (snap.type !== 'variable' || shop.type !== 'variable') return rows;
  const variations = await client.listAllVariations(shop.id);
  for (const v of snap.variants) {
    const linked = links.find((l) => l.variantId === v.id)?.remoteId;
    const sv = variations.find((x) => x.id === linked) ?? variations.find((x) => x.sku.toLowerCase() === v.sku.toLowerCase());
    const svFields = sv ? pick(shopSide(sv, true)) : null;
    const pv = pick(toWooVariation(snap.id, v));
    const vf = compareShopFields(svFields, pv);
    if (vf.length > 0) rows.push({ kind: 'differs', sku: v.sku, product_id: snap.id, remote_id: sv?.id ?? null, fields: vf, shop: svFields, pos: pv });
  }
  return rows;
}

/**
 * Issue 11: the drift between a shop and the POS, found page by page. Each page's findings
 * replace that page's rows (a retried page writes the same), so the workflow carries counts only.
 */
export function createDriftScanActivities(deps: { db: Db; woo: WooClients }) {
  const { db } = deps;
  return {
    async startDriftReport(input: DriftInput): Promise<{ reportId: string }> {
      const connection = await getConnection(db, input.connectionId);
      if (!connection) throw ApplicationFailure.nonRetryable(`no connection "${input.connectionId}"`, 'UnknownConnection');
      if (connection.kind !== 'woocommerce') throw ApplicationFailure.nonRetryable(`connection "${input.connectionId}" is not a WooCommerce shop`, 'UnsupportedConnection');
      const workflowId = activityInfo().workflowExecution?.workflowId ?? `drift/${input.connectionId}/${activityInfo().activityId}`;
      await db('drift_reports').insert({ workflow_id: workflowId, connection_id: input.connectionId, sku: input.sku ?? null, repair: input.repair === true }).onConflict('workflow_id').ignore();
      const row = await db('drift_reports').where({ workflow_id: workflowId }).first('id');
      return { reportId: String(row.id) };
    },

    async scanDriftPage(input: { reportId: string; connectionId: string; sku?: string; page: number }): Promise<DriftPageResult> {
      return withHeartbeats(() => withWooErrors(async () => {
        const client = deps.woo.get(input.connectionId);
        const before = client.requestCount;
        const { products, totalPages } = await shopPage(client, input.sku, input.page);
        const remoteIds = products.map((p) => p.id);
        const linkRows: { product_id: number; remote_id: number }[] = remoteIds.length === 0 ? [] : await db('product_links')
          .where({ connection_id: input.connectionId }).whereNull('variant_id').whereIn('remote_id', remoteIds).select('product_id', 'remote_id');
        const productOf = new Map(linkRows.map((l) => [Number(l.remote_id), l.product_id]));
        const skus = [...new Set(products.map((p) => (p.sku ?? '').toLowerCase()).filter((s) => s !== ''))];
        const posBySku = new Map<string, number>(skus.length === 0 ? [] : (
          await db('products').whereRaw('lower(sku) = ANY(?)', [skus]).select('id', 'sku')
        ).map((r: { id: number; sku: string }) => [r.sku.toLowerCase(), r.id]));
        const linkedIds = [...new Set(productOf.values())];
        const [snapshots, links, busy] = await Promise.all([
          loadConnectionSnapshots(db, input.connectionId, linkedIds), linksOf(db, input.connectionId, linkedIds),
          inFlight(db, input.connectionId, [...linkedIds, ...posBySku.values()]),
        ]);
        const rows: DriftRow[] = [];
        for (const p of products) {
          const productId = productOf.get(p.id);
          const snap = productId === undefined ? undefined : snapshots.get(productId);
          if (snap) {
            if (!busy.has(snap.id)) rows.push(...(await linkedDrift(client, p, snap, links.filter((l) => l.productId === snap.id))));
            heartbeat();
            continue;
          }
          const ours = posBySku.get((p.sku ?? '').toLowerCase());
          if (ours !== undefined && !busy.has(ours)) {
            const shopFields = pick(shopSide(p, false));
            rows.push({ kind: 'unlinked', sku: p.sku, product_id: ours, remote_id: p.id, fields: [], shop: shopFields, pos: null });
          }
        }
        await db.transaction(async (trx) => {
          await trx('drift_items').where({ report_id: input.reportId, page: input.page }).delete();
          await trx('drift_seen').where({ report_id: input.reportId, page: input.page }).delete();
          if (rows.length > 0) {
            await trx('drift_items').insert(rows.map((r) => ({
              ...r, report_id: input.reportId, page: input.page, fields: JSON.stringify(r.fields), shop: JSON.stringify(r.shop), pos: JSON.stringify(r.pos),
            })));
          }
          if (remoteIds.length > 0) {
            await trx('drift_seen').insert(remoteIds.map((remote_id) => ({ report_id: input.reportId, page: input.page, remote_id }))).onConflict(['report_id', 'remote_id']).ignore();
          }
        });
        return { products: products.length, requests: client.requestCount - before, totalPages };
      }));
    },

    /**
     * What is linked but the shop did not show: confirmed by id (a product created or deleted during the
     * scan shifts the pages), a product in the shop's trash is left there (issue 6.6); then the counts.
     */
    async finishDriftScan(input: { reportId: string; connectionId: string; sku?: string; shopProducts: number; requests: number }): Promise<{ counts: DriftCounts; requests: number }> {
      return withHeartbeats(() => withWooErrors(async () => {
        const client = deps.woo.get(input.connectionId);
        const before = client.requestCount;
        await recordMissing(db, input);
        const candidates: { remote_id: string }[] = await db('drift_items').where({ report_id: input.reportId, kind: 'missing' }).select('remote_id');
        const present: number[] = [];
        for (let i = 0; i < candidates.length; i += DRIFT_PAGE_SIZE) {
          const ids = candidates.slice(i, i + DRIFT_PAGE_SIZE).map((c) => Number(c.remote_id));
          const seen = new Set((await client.listProducts({ include: ids, status: 'any', per_page: DRIFT_PAGE_SIZE })).items.map((p) => p.id));
          const rest = ids.filter((id) => !seen.has(id));
          const trashed = rest.length === 0 ? [] : (await client.listProducts({ include: rest, status: 'trash', per_page: DRIFT_PAGE_SIZE })).items.map((p) => p.id);
          present.push(...seen, ...trashed);
          heartbeat();
        }
        if (present.length > 0) await db('drift_items').where({ report_id: input.reportId, kind: 'missing' }).whereIn('remote_id', present).delete();
        const requests = input.requests + client.requestCount - before;
        await db('drift_reports').where({ id: input.reportId }).update({ shop_products: input.shopProducts, shop_requests: requests, finished_at: db.fn.now() });
        return { counts: await driftCounts(db, input.reportId), requests };
      }));
    },
  };
}

/** Linked products the scan did not see, as `missing` candidates (replacing those of an earlier attempt). */
async function recordMissing(db: Db, input: { reportId: string; connectionId: string; sku?: string }): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('drift_items').where({ report_id: input.reportId }).whereNull('page').delete();
    await trx.raw(
      `INSERT INTO drift_items (report_id, kind, product_id, remote_id, sku, fields)
       SELECT ?, 'missing', l.product_id, l.remote_id, p.sku, '["missing in the shop"]'::jsonb
         FROM product_links l JOIN products p ON p.id = l.product_id
        WHERE l.connection_id = ? AND l.variant_id IS NULL
          AND (?::text IS NULL OR lower(p.sku) = lower(?) OR EXISTS (SELECT 1 FROM variants v WHERE v.product_id = p.id AND lower(v.sku) = lower(?)))
          AND NOT EXISTS (SELECT 1 FROM drift_seen s WHERE s.report_id = ? AND s.remote_id = l.remote_id)
          -- Trashed in the shop by the merchant: pushes leave it there (issue 6.6), so it is not drift.
          AND l.shop_state IS DISTINCT FROM 'trashed'
          AND NOT ${IN_FLIGHT_SQL('l.product_id', '?')}`,
      [input.reportId, input.connectionId, input.sku ?? null, input.sku ?? null, input.sku ?? null, input.reportId, input.connectionId, input.connectionId],
    );
  });
}

export async function driftCounts(db: Db, reportId: string): Promise<DriftCounts> {
  const rows: { kind: DriftKind; n: string }[] = await db('drift_items').where({ report_id: reportId }).groupBy('kind').select('kind').count({ n: '*' });
  const counts: DriftCounts = { differs: 0, unlinked: 0, missing: 0 };
  for (const r of rows) counts[r.kind] = Number(r.n);
  return counts;
}
