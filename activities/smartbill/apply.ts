import type { Knex } from 'knex';
import { withHeartbeats } from '../heartbeat';
import { toActivityFailure } from '../woocommerce/errors';
import type { WooClients } from '../woocommerce/product-push';
import type { WooBatchItemError } from '../woocommerce/types';
import { forgetShopItem, matchShopItems, refreshShopIndex, rememberStock, type Match } from './shop-index';
import type { SmartBillRegistry } from './registry';

export interface ApplyResult {
  applied: number;
  unchanged: number;
  superseded: number;
  notFound: number;
  ambiguous: number;
  notManaged: number;
  notOwner: number;
  refused: number;
  /** WooCommerce requests: index reads and batch writes. */
  requests: number;
  writes: number;
  /** More movements are pending than one call takes. */
  more: boolean;
}

interface Pending {
  id: number;
  product_key: string;
  quantity: number;
  source: 'receiver' | 'pull';
}

type Outcome = { outcome: string; reason?: string; productId?: number; variationId?: number };

const BATCH = 100;

/**
 * Applies the pending SmartBill movements of one connection to its WooCommerce store (M-D1, M-D4, M-D8):
 * per product only the newest movement counts (older ones are superseded, never written after it), matched
 * through the shop index, set (not added) on stock-managed items, 100 per batch request.
 * One apply per connection at a time: a transaction-scoped advisory lock is held from reading the pending
 * movements to settling them, so a stale attempt can never write an older level after a newer one.
 */
export function createSmartBillApplyActivities(deps: { db: Knex; woo: WooClients; smartbill: SmartBillRegistry }) {
  return {
    async applySmartBillMovements(input: { connectionId: string; limit?: number }): Promise<ApplyResult> {
      const connection = deps.smartbill.get(input.connectionId);
      if (!connection) throw new Error(`no SmartBill connection ${input.connectionId} is configured in this worker`);
      const client = deps.woo.get(connection.shopConnectionId);
      const limit = input.limit ?? 5000;
      return withHeartbeats(() => deps.db.transaction(async (trx) => {
        await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`smartbill-apply:${connection.id}`]);
        const result: ApplyResult = { applied: 0, unchanged: 0, superseded: 0, notFound: 0, ambiguous: 0, notManaged: 0, notOwner: 0, refused: 0, requests: 0, writes: 0, more: false };
        const pending: Pending[] = await trx('smartbill_movements').where({ connection_id: connection.id }).whereNull('outcome')
          .orderBy('id').limit(limit + 1).select('id', 'product_key', 'quantity', 'source');
        result.more = pending.length > limit;
        if (result.more) pending.length = limit;
        if (pending.length === 0) return result;

        const outcomes = new Map<number, Outcome>();
        const newest = new Map<string, Pending>();
        for (const m of pending) {
          const before = newest.get(m.product_key);
          if (before) outcomes.set(before.id, { outcome: 'superseded', reason: `a newer level (movement ${m.id}) was received` });
          newest.set(m.product_key, m);
        }
        const applied = await trx('smartbill_levels').where({ connection_id: connection.id }).whereIn('product_key', [...newest.keys()]).select('product_key', 'movement_id');
        for (const a of applied) {
          const m = newest.get(a.product_key)!;
          if (Number(a.movement_id) > m.id) {
            outcomes.set(m.id, { outcome: 'superseded', reason: `movement ${a.movement_id}, newer, was already applied` });
            newest.delete(a.product_key);
          }
        }

        // A pull writes only what differs: the index is brought up to date first, so its stock is the shop's.
        const pulled = [...newest.values()].some((m) => m.source === 'pull');
        if (pulled || !(await trx('smartbill_shop_index_state').where({ shop_connection_id: connection.shopConnectionId }).first())) {
          result.requests += (await refreshShopIndex(trx, client, connection.shopConnectionId)).requests;
        }
        let matches = await matchShopItems(trx, connection.shopConnectionId, [...newest.keys()]);
        if (!pulled && [...matches.values()].some((m) => m.kind === 'none')) {
          result.requests += (await refreshShopIndex(trx, client, connection.shopConnectionId)).requests;
          matches = await matchShopItems(trx, connection.shopConnectionId, [...newest.keys()]);
        }
        const linked = connection.stockOwner === 'pos' ? await linkedToPos(trx, connection.shopConnectionId, matches) : new Set<number>();

        const products: { id: number; quantity: number; movement: number }[] = [];
        const variations = new Map<number, { id: number; quantity: number; movement: number }[]>();
        for (const [key, m] of newest) {
          const match = matches.get(key)!;
          const decided = decide(match, linked);
          if (decided) {
            outcomes.set(m.id, decided);
            continue;
          }
          const item = (match as Extract<Match, { kind: 'one' }>).item;
          if (m.source === 'pull' && item.manageStock !== 'parent' && item.stockQuantity === m.quantity) {
            outcomes.set(m.id, { outcome: 'unchanged', productId: item.parentId ?? item.itemId, variationId: item.parentId !== null ? item.itemId : undefined });
            continue;
          }
          // A variation whose stock its product manages: WooCommerce's wc_update_product_stock sets the product's.
          const target = item.manageStock === 'parent' || item.parentId === null ? item.parentId ?? item.itemId : item.itemId;
          if (item.parentId !== null && item.manageStock !== 'parent') {
            variations.set(item.parentId, [...(variations.get(item.parentId) ?? []), { id: item.itemId, quantity: m.quantity, movement: m.id }]);
          } else {
            products.push({ id: target, quantity: m.quantity, movement: m.id });
          }
          outcomes.set(m.id, { outcome: 'applied', productId: item.parentId ?? item.itemId, variationId: item.parentId !== null ? item.itemId : undefined });
        }

        const refuse = async (movement: number, itemId: number, error: WooBatchItemError['error']) => {
          outcomes.set(movement, { outcome: 'refused', reason: `WooCommerce refused the stock: ${error.code} ${error.message}` });
          if (/invalid_id/.test(error.code)) await forgetShopItem(trx, connection.shopConnectionId, itemId);
        };
        try {
          for (let i = 0; i < products.length; i += BATCH) {
            const chunk = products.slice(i, i + BATCH);
            const res = await client.batchProducts({ update: chunk.map((p) => ({ id: p.id, stock_quantity: p.quantity })) });
            result.requests += 1;
            result.writes += 1;
            for (const [j, answer] of (res.update ?? []).entries()) if ('error' in answer) await refuse(chunk[j]!.movement, chunk[j]!.id, answer.error);
          }
          for (const [parent, items] of variations) {
            for (let i = 0; i < items.length; i += BATCH) {
              const chunk = items.slice(i, i + BATCH);
              const res = await client.batchVariations(parent, { update: chunk.map((v) => ({ id: v.id, stock_quantity: v.quantity })) });
              result.requests += 1;
              result.writes += 1;
              for (const [j, answer] of (res.update ?? []).entries()) if ('error' in answer) await refuse(chunk[j]!.movement, chunk[j]!.id, answer.error);
            }
          }
        } catch (err) {
          // Nothing is settled: the transaction rolls back and the retry writes the same levels again (absolute, harmless).
          throw toActivityFailure(err);
        }
        const written = [...products, ...[...variations.values()].flat()].filter((w) => outcomes.get(w.movement)?.outcome === 'applied');
        await rememberStock(trx, connection.shopConnectionId, written.map((w) => ({ itemId: w.id, quantity: w.quantity })));
        await settle(trx, connection.id, pending, outcomes, newest, result);
        return result;
      }));
    },
  };
}

function decide(match: Match, linked: Set<number>): Outcome | undefined {
  if (match.kind === 'none') return { outcome: 'not_found', reason: 'no published WooCommerce product or variation has this code (or, without a code, this name)' };
  if (match.kind === 'ambiguous') return { outcome: 'ambiguous', reason: `several WooCommerce items match: ${match.itemIds.join(', ')}; nothing was written` };
  if (match.item.manageStock === 'false') return { outcome: 'not_managed', reason: `WooCommerce item ${match.item.itemId} does not manage stock (M-D4)` };
  if (linked.has(match.item.itemId)) {
    return { outcome: 'not_owner', reason: `WooCommerce item ${match.item.itemId} is linked to the POS, which owns its stock on this connection (M-D8)` };
  }
  return undefined;
}

async function linkedToPos(trx: Knex, shopConnectionId: string, matches: Map<string, Match>): Promise<Set<number>> {
  const ids = [...matches.values()].flatMap((m) => (m.kind === 'one' ? [m.item.itemId] : []));
  if (ids.length === 0) return new Set();
  const rows = await trx('product_links').where({ connection_id: shopConnectionId }).whereIn('remote_id', ids).select('remote_id');
  return new Set(rows.map((r: { remote_id: string | number }) => Number(r.remote_id)));
}

async function settle(trx: Knex, connectionId: string, pending: Pending[], outcomes: Map<number, Outcome>, newest: Map<string, Pending>, result: ApplyResult): Promise<void> {
  const groups = new Map<string, number[]>();
  for (const m of pending) {
    const o = outcomes.get(m.id) ?? { outcome: 'superseded' };
    const key = JSON.stringify(o);
    groups.set(key, [...(groups.get(key) ?? []), m.id]);
    const counter = ({ applied: 'applied', unchanged: 'unchanged', superseded: 'superseded', not_found: 'notFound', ambiguous: 'ambiguous', not_managed: 'notManaged', not_owner: 'notOwner', refused: 'refused' } as const)[o.outcome as 'applied'];
    result[counter] += 1;
  }
  for (const [key, ids] of groups) {
    const o: Outcome = JSON.parse(key);
    await trx('smartbill_movements').whereIn('id', ids).update({
      outcome: o.outcome, reason: o.reason ?? null, shop_product_id: o.productId ?? null, shop_variation_id: o.variationId ?? null, settled_at: trx.fn.now(),
    });
  }
  const levels = [...newest.values()].filter((m) => outcomes.get(m.id)?.outcome === 'applied').map((m) => ({
    connection_id: connectionId, product_key: m.product_key, movement_id: m.id, quantity: m.quantity,
    shop_product_id: outcomes.get(m.id)!.productId ?? null, shop_variation_id: outcomes.get(m.id)!.variationId ?? null, written_at: trx.fn.now(),
  }));
  if (levels.length) await trx('smartbill_levels').insert(levels).onConflict(['connection_id', 'product_key']).merge();
}
