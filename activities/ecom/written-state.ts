// What the product writer last wrote to each remote object of an eCom connection (migration 022).
import crypto from 'node:crypto';
import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

export type EcomObjectKind = 'product' | 'variant' | 'image';

export interface EcomObject {
  kind: EcomObjectKind;
  /** '' for the product, 'simple' / 'v:<id>' for a variant, the POS src for an image. */
  posRef: string;
  /** Null: a create was sent, its answer not recorded (lost, or the worker died). */
  remoteId: number | null;
  payloadHash: string | null;
  imageSrc: string | null;
  imageHash: string | null;
  runKey: string | null;
  requestedAt: Date;
}

export const PRODUCT_REF = '';
export const variantRef = (posVariantId: number | null): string => (posVariantId === null ? 'simple' : `v:${posVariantId}`);
export const posVariantIdOf = (ref: string): number | null => (ref === 'simple' ? null : Number(ref.slice(2)));

/** A stable hash of a payload (keys sorted, so the same values always hash the same). */
export function payloadHash(payload: object): string {
  const sorted = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sorted) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])])) : v;
  return crypto.createHash('sha256').update(JSON.stringify(sorted(payload))).digest('hex');
}

export class WrittenState {
  constructor(private readonly db: Db, readonly connectionId: string, readonly productId: number) {}

  private where() {
    return { connection_id: this.connectionId, product_id: this.productId };
  }

  async load(): Promise<EcomObject[]> {
    const rows = await this.db('ecom_objects').where(this.where()).orderBy(['kind', 'requested_at', 'pos_ref']);
    return rows.map((r: any) => ({
      kind: r.kind, posRef: r.pos_ref, remoteId: r.remote_id === null ? null : Number(r.remote_id), payloadHash: r.payload_hash,
      imageSrc: r.image_src, imageHash: r.image_hash, runKey: r.run_key, requestedAt: r.requested_at,
    }));
  }

  /** Recorded before a create is sent: if its answer is lost, the next run looks for the object first. */
  async requested(kind: EcomObjectKind, posRef: string, runKey: string | null): Promise<void> {
    await this.db('ecom_objects')
      .insert({ ...this.where(), kind, pos_ref: posRef, remote_id: null, run_key: runKey, requested_at: this.db.fn.now() })
      .onConflict(['connection_id', 'product_id', 'kind', 'pos_ref'])
      .merge({ remote_id: null, run_key: runKey, requested_at: this.db.fn.now(), payload_hash: null, payload: null, image_src: null, image_hash: null });
  }

  /** The object exists remotely (created, found, or adopted), with what was written to it. */
  async written(kind: EcomObjectKind, posRef: string, remoteId: number, w: { payload?: object | null; imageSrc?: string | null; imageHash?: string | null; runKey?: string | null }): Promise<void> {
    const row: Record<string, unknown> = { remote_id: remoteId, written_at: this.db.fn.now() };
    if (w.payload !== undefined) {
      row.payload = w.payload === null ? null : JSON.stringify(w.payload);
      row.payload_hash = w.payload === null ? null : payloadHash(w.payload);
    }
    if (w.imageSrc !== undefined) row.image_src = w.imageSrc;
    if (w.imageHash !== undefined) row.image_hash = w.imageHash;
    if (w.runKey !== undefined) row.run_key = w.runKey;
    await this.db('ecom_objects')
      .insert({ ...this.where(), kind, pos_ref: posRef, requested_at: this.db.fn.now(), ...row })
      .onConflict(['connection_id', 'product_id', 'kind', 'pos_ref'])
      .merge(row);
  }

  async forget(kind: EcomObjectKind, posRef: string): Promise<void> {
    await this.db('ecom_objects').where({ ...this.where(), kind, pos_ref: posRef }).delete();
  }

  async forgetRun(runKey: string): Promise<void> {
    await this.db('ecom_objects').where({ ...this.where(), run_key: runKey }).delete();
  }

  async forgetAll(): Promise<void> {
    await this.db('ecom_objects').where(this.where()).delete();
  }
}

/** Remote ids of this connection already held by another POS product (never adopted as ours). */
export async function remoteIdsHeldByOthers(db: Db, connectionId: string, productId: number, kind: EcomObjectKind, remoteIds: number[]): Promise<Set<number>> {
  if (remoteIds.length === 0) return new Set();
  const rows: { remote_id: number }[] = await db('ecom_objects')
    .where({ connection_id: connectionId, kind })
    .whereNot({ product_id: productId })
    .whereIn('remote_id', remoteIds)
    .select('remote_id');
  return new Set(rows.map((r) => Number(r.remote_id)));
}
