// Creates whose outcome may be unknown (issue 6 point 3). WooCommerce's SKU check is
// check-then-insert and a slow create (images being downloaded) is invisible until it is inserted,
// so a create is never simply sent again after a lost answer: every create is recorded before it
// is sent, carries a creation key in its meta, and the next attempt first looks for what the
// earlier one made, waiting until it must have landed.
import crypto from 'node:crypto';
import { heartbeat, log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../../db/connection';
import { POSSYNC_META_KEY } from '../../domain/woo-mapping';
import { writeSyncLog } from '../pos/sync-log';
import type { WooClient } from './client';

/** Meta key of the creation key: `<run id>/<random>`, so a compensation knows what its own run created. */
export const CREATE_KEY_META = '_possync_create_key';

export type CreationKind = 'product' | 'variations';

export interface CreationTiming {
  /** How long after it was sent a create whose answer was lost may still land. */
  landWaitMs: number;
  /** How often the shop is asked meanwhile. */
  pollMs: number;
}

export const DEFAULT_CREATION_TIMING: CreationTiming = { landWaitMs: 120_000, pollMs: 2_000 };

/** The shop is asked about twenty times within the wait, between every 200 ms and every 2 s. */
export function creationTimingFor(landWaitMs: number): CreationTiming {
  return { landWaitMs, pollMs: Math.min(2_000, Math.max(200, landWaitMs / 20)) };
}

type Meta = { key: string; value: unknown }[] | undefined;

export function metaValue(meta: Meta, key: string): string | undefined {
  const m = meta?.find((x) => x.key === key);
  return m === undefined ? undefined : String(m.value);
}

/** The creation key's run part: what `runId` a creation carrying this meta was made by. */
export function createdByRun(meta: Meta, runId: string): boolean {
  return metaValue(meta, CREATE_KEY_META)?.startsWith(`${runId}/`) ?? false;
}

/** A product of ours: it carries our product id (older creations have no creation key). */
export function isOurProduct(meta: Meta, productId: number): boolean {
  return metaValue(meta, POSSYNC_META_KEY) === String(productId);
}

export function withCreateKey<T extends { meta_data?: { key: string; value: string }[] }>(payload: T, key: string): T {
  return { ...payload, meta_data: [...(payload.meta_data ?? []).filter((m) => m.key !== CREATE_KEY_META), { key: CREATE_KEY_META, value: key }] };
}

export interface Creation {
  id: number;
  key: string;
}

/** Who sent a create: a product's own push, or a catalog sync's batch. */
export type Creator = 'product_push' | 'catalog_sync';

/** Thrown (retryable) when another creator holds the product's creation claim: the next attempt waits for it. */
export const CREATION_CLAIMED = 'CreationClaimed';

const CLAIM_INDEX = 'shop_creations_one_claim';

function isClaimConflict(err: unknown): boolean {
  const e = err as { code?: string; constraint?: string };
  return e?.code === '23505' && e.constraint === CLAIM_INDEX;
}

function newCreateKey(runId: string): string {
  return `${runId}/${crypto.randomBytes(6).toString('hex')}`;
}

/**
 * Records the intent before the request is sent: from now on its outcome counts as unknown until
 * settled. A product create is also the product's creation claim (one unsettled per connection and
 * product, migration 011): when another creator holds it, nothing is recorded and CREATION_CLAIMED
 * is thrown.
 */
export async function recordCreation(
  db: Db, c: { connectionId: string; productId: number; kind: CreationKind; runId: string; creator?: Creator },
): Promise<Creation> {
  const key = newCreateKey(c.runId);
  try {
    const [row] = await db('shop_creations')
      .insert({ connection_id: c.connectionId, product_id: c.productId, kind: c.kind, create_key: key, run_id: c.runId, creator: c.creator ?? 'product_push' })
      .returning('id');
    return { id: Number(row.id), key };
  } catch (err) {
    if (!isClaimConflict(err)) throw err;
    throw ApplicationFailure.retryable(`another creator holds the creation of product ${c.productId} in ${c.connectionId}`, CREATION_CLAIMED);
  }
}

/**
 * The catalog sync's claims: one product create recorded per product whose claim is free, in one
 * statement; a product whose claim another creator holds is left out of the answer.
 */
export async function claimCreations(
  db: Db, c: { connectionId: string; runId: string; productIds: number[]; kind?: CreationKind },
): Promise<Map<number, Creation>> {
  if (c.productIds.length === 0) return new Map();
  const rows = c.productIds.map((productId) => ({
    connection_id: c.connectionId, product_id: productId, kind: c.kind ?? 'product', create_key: newCreateKey(c.runId), run_id: c.runId, creator: 'catalog_sync',
  }));
  const claimed: { id: string; product_id: number; create_key: string }[] = (
    await db.raw(
      `? ON CONFLICT (connection_id, product_id) WHERE state = 'sent' AND kind = 'product' DO NOTHING RETURNING id, product_id, create_key`,
      [db('shop_creations').insert(rows)],
    )
  ).rows;
  return new Map(claimed.map((r) => [r.product_id, { id: Number(r.id), key: r.create_key }]));
}

/**
 * Waits until the catalog sync's claims among `unsettled` are settled, or until the latest of them
 * must have landed (its answer was lost). Returns whether one was waited for.
 */
export async function waitForCatalogClaims(
  db: Db, unsettled: { id: number; sentAt: Date; creator: Creator }[], timing: CreationTiming,
): Promise<boolean> {
  const held = unsettled.filter((u) => u.creator === 'catalog_sync');
  if (held.length === 0) return false;
  const deadline = Math.max(...held.map((u) => u.sentAt.getTime())) + timing.landWaitMs;
  while (Date.now() < deadline) {
    const open = await db('shop_creations').whereIn('id', held.map((u) => u.id)).where({ state: 'sent' }).count({ n: '*' });
    if (Number(open[0]!.n) === 0) break;
    heartbeat({ waitingForCatalogSyncCreateUntil: new Date(deadline).toISOString() });
    await new Promise((r) => setTimeout(r, Math.min(timing.pollMs, Math.max(0, deadline - Date.now()))));
  }
  return true;
}

/** Settles many creations in one statement. */
export async function settleCreations(db: Db, settled: { id: number; state: 'done' | 'refused'; remoteId?: number }[]): Promise<void> {
  if (settled.length === 0) return;
  await db.raw(
    `UPDATE shop_creations s SET state = x.state, remote_id = x.remote_id, settled_at = now()
       FROM jsonb_to_recordset(?::jsonb) AS x(id bigint, state text, remote_id bigint)
      WHERE s.id = x.id`,
    [JSON.stringify(settled.map((x) => ({ id: x.id, state: x.state, remote_id: x.remoteId ?? null })))],
  );
}

export async function settleCreation(db: Db, id: number, state: 'done' | 'refused', remoteId?: number): Promise<void> {
  await db('shop_creations').where({ id }).update({ state, remote_id: remoteId ?? null, settled_at: db.fn.now() });
}

/** Earlier creates of this kind whose outcome is unknown; they are settled by what the shop shows. */
export async function unsettledCreations(
  db: Db, connectionId: string, productId: number, kind: CreationKind,
): Promise<{ id: number; sentAt: Date; creator: Creator }[]> {
  const rows = await db('shop_creations')
    .where({ connection_id: connectionId, product_id: productId, kind, state: 'sent' })
    .select('id', 'sent_at', 'creator');
  return rows.map((r) => ({ id: Number(r.id), sentAt: new Date(r.sent_at), creator: r.creator as Creator }));
}

export async function supersede(db: Db, ids: number[], remoteId?: number): Promise<void> {
  if (ids.length === 0) return;
  await db('shop_creations').whereIn('id', ids).update({ state: 'superseded', remote_id: remoteId ?? null, settled_at: db.fn.now() });
}

/**
 * Asks `look` until it finds something or until the latest unsettled create must have landed.
 * Returns what was found last (possibly nothing: then the earlier creates made nothing).
 */
/**
 * A real store creates a batch one item after the other, each with its image downloads: the wait
 * for a lost batch grows with its size, or a large batch could land after the wait and be created twice.
 */
export const LAND_WAIT_PER_ITEM_MS = 2_000;

export function timingForBatch(timing: CreationTiming, items: number): CreationTiming {
  return { ...timing, landWaitMs: timing.landWaitMs + items * LAND_WAIT_PER_ITEM_MS };
}

export async function waitForEarlierCreates<T>(
  unsettled: { sentAt: Date }[], timing: CreationTiming, look: () => Promise<T[]>, done: (found: T[]) => boolean,
): Promise<T[]> {
  let found = await look();
  if (unsettled.length === 0 || done(found)) return found;
  const deadline = Math.max(...unsettled.map((u) => u.sentAt.getTime())) + timing.landWaitMs;
  while (!done(found) && Date.now() < deadline) {
    heartbeat({ waitingForEarlierCreateUntil: new Date(deadline).toISOString() });
    await new Promise((r) => setTimeout(r, Math.min(timing.pollMs, Math.max(0, deadline - Date.now()))));
    found = await look();
  }
  return found;
}

/** Products (not variations) holding this SKU, drafts, pending and private ones included (trash is not). */
export async function productsWithSku(client: WooClient, sku: string) {
  return (await client.findBySkus([sku])).filter((r) => r.type !== 'variation');
}

/**
 * Removes shop products that are ours (our meta for this POS product) and hold its SKU but are
 * not the linked one: duplicates left by a create that landed after its answer was lost.
 * Returns the ids removed.
 */
export async function removeDuplicateProducts(
  db: Db, client: WooClient, p: { connectionId: string; productId: number; sku: string; keepId: number; workflowId?: string | null },
  candidates?: { id: number; sku: string; meta_data?: Meta }[],
): Promise<number[]> {
  const found = candidates ?? (await productsWithSku(client, p.sku));
  const dupes = found.filter((r) => r.id !== p.keepId && isOurProduct(r.meta_data, p.productId));
  const removed: number[] = [];
  for (const d of dupes) {
    try {
      await client.deleteProduct(d.id, { force: true });
    } catch (err) {
      if (!(err instanceof Error && 'status' in err && ((err as { status: number }).status === 404))) throw err;
    }
    removed.push(d.id);
    log.warn('removed a duplicate shop product left by a create whose answer was lost', {
      connectionId: p.connectionId, productId: p.productId, sku: p.sku, kept: p.keepId, removed: d.id,
    });
  }
  if (removed.length > 0) {
    await writeSyncLog(db, [{
      connectionId: p.connectionId, productId: p.productId, workflowId: p.workflowId ?? null, action: 'dedupe', status: 'ok',
      message: `removed duplicate shop product${removed.length > 1 ? 's' : ''} ${removed.join(', ')} of ${p.sku} (kept ${p.keepId})`,
    }]);
  }
  return removed;
}

/**
 * Variations of ours that hold the same SKU as another of ours (a variation batch that landed
 * after its answer was lost, then was sent again): all but the oldest are removed, with a log line.
 * Returns the listing without them.
 */
export async function removeDuplicateVariations<T extends { id: number; sku: string; meta_data?: Meta }>(
  db: Db, client: WooClient, p: { connectionId: string; productId: number; remoteParentId: number; sku: string; workflowId?: string | null },
  listed: T[],
): Promise<T[]> {
  const ours = (v: T) => metaValue(v.meta_data, POSSYNC_META_KEY)?.startsWith(`${p.productId}:`) ?? false;
  const keepBySku = new Map<string, T>();
  const dupes: T[] = [];
  for (const v of [...listed].sort((a, b) => a.id - b.id)) {
    const key = v.sku.toLowerCase();
    if (key !== '' && keepBySku.has(key) && ours(v)) dupes.push(v);
    else if (!keepBySku.has(key)) keepBySku.set(key, v);
  }
  if (dupes.length === 0) return listed;
  await client.batchVariations(p.remoteParentId, { delete: dupes.map((d) => d.id) });
  log.warn('removed duplicate shop variations left by a create whose answer was lost', {
    connectionId: p.connectionId, productId: p.productId, removed: dupes.map((d) => d.id),
  });
  await writeSyncLog(db, [{
    connectionId: p.connectionId, productId: p.productId, workflowId: p.workflowId ?? null, action: 'dedupe', status: 'ok',
    message: `removed duplicate shop variations ${dupes.map((d) => `${d.id} (${d.sku})`).join(', ')} of ${p.sku}`,
  }]);
  const gone = new Set(dupes.map((d) => d.id));
  return listed.filter((v) => !gone.has(v.id));
}
