// Product and variation writes as the REST controllers perform them: prepare on a copy, save,
// then keep the variable parent in step (children list, stock status, modified date).
import { phpEmpty } from './coerce';
import { type EventSink, ignoreEvents } from './events';
import { alreadyExists, alreadyTrashed, invalidId, variationViaProductsRoute } from './errors';
import type { ProductRecord } from './model';
import { finalizeProduct, prepareProduct, SavedBeforeImageError } from './product-write';
import { childrenStockStatus } from './stock';
import type { Store } from './store';
import { finalizeVariation, prepareVariation } from './variation-write';
import type { Params, WriteEnv } from './write-common';

export interface DeleteResult {
  /** The item as it was before the delete: that is what the API answers with. */
  before: ProductRecord;
}

export class Catalog {
  constructor(
    private readonly store: Store,
    /** Called with the id of every object a write was applied to. */
    private readonly onWrite: (id: number) => void = () => undefined,
    /** The product.* webhook hooks: new/update product (or variation), and wp_trash_post. */
    private readonly events: EventSink = ignoreEvents,
  ) {}

  private emit(event: 'created' | 'updated' | 'deleted', id: number): void {
    this.events({ resource: 'product', event, id });
  }

  createProduct(env: WriteEnv, p: Params): ProductRecord {
    if (!phpEmpty(p.id)) throw alreadyExists('product');
    const { record } = this.savedBeforeImage(env, undefined, p, () => prepareProduct(env, undefined, p));
    record.id = this.store.allocateId();
    finalizeProduct(env, record, undefined, p);
    this.store.save(record);
    this.onWrite(record.id);
    this.emit('created', record.id);
    return record;
  }

  updateProduct(env: WriteEnv, id: number, p: Params): ProductRecord {
    const existing = this.store.get(id);
    if (!existing) throw invalidId('product', 400);
    const { record, dropVariations } = this.savedBeforeImage(env, existing, p, () => prepareProduct(env, existing, p));
    if (dropVariations) {
      for (const childId of existing.children) this.store.remove(childId);
      record.children = [];
    }
    finalizeProduct(env, record, existing, p);
    this.store.save(record);
    this.onWrite(record.id);
    this.emit('updated', record.id);
    return record;
  }

  /** Runs `prepare`; when the shop would have saved the product before a gallery image failed, stores that, then fails. */
  private savedBeforeImage<T>(env: WriteEnv, existing: ProductRecord | undefined, p: Params, prepare: () => T): T {
    try {
      return prepare();
    } catch (err) {
      if (!(err instanceof SavedBeforeImageError)) throw err;
      const record = err.record;
      if (!existing) record.id = this.store.allocateId();
      finalizeProduct(env, record, existing, p);
      this.store.save(record);
      this.onWrite(record.id);
      this.emit(existing ? 'updated' : 'created', record.id);
      throw err.error;
    }
  }

  /** Without force: trash (410 when already trashed). With force: gone, with its variations. */
  deleteProduct(env: WriteEnv, id: number, force: boolean): DeleteResult {
    const before = this.store.get(id);
    if (!before) throw invalidId('product', 404);
    if (before.type === 'variation') throw variationViaProductsRoute();
    if (force) {
      for (const childId of before.children) this.store.remove(childId);
      this.store.remove(id);
    } else {
      if (before.status === 'trash') throw alreadyTrashed('product');
      this.store.save(this.trashed(env, before));
      // WC_Post_Data::trash_post trashes the variations too; a REST update that sets the parent's
      // status back does not untrash them (only wp_untrash_post would).
      for (const childId of before.children) {
        const child = this.store.get(childId);
        if (child && child.status !== 'trash') this.store.save(this.trashed(env, child));
      }
      // product.deleted listens to wp_trash_post only: a permanent delete sends nothing.
      this.emit('deleted', id);
    }
    this.onWrite(id);
    return { before };
  }

  createVariation(env: WriteEnv, productId: number, p: Params): ProductRecord {
    if (!phpEmpty(p.id)) throw alreadyExists('product_variation');
    const record = prepareVariation(env, undefined, { ...p, product_id: productId });
    record.id = this.store.allocateId();
    finalizeVariation(env, record);
    this.store.save(record);
    this.syncParent(env, record.parentId, record.id);
    this.onWrite(record.id);
    this.emit('created', record.id);
    return record;
  }

  /** `p.product_id` decides the parent (a batch item can move a variation; single updates are checked earlier). */
  updateVariation(env: WriteEnv, id: number, p: Params): ProductRecord {
    const existing = this.store.variation(id);
    if (!existing) throw invalidId('product_variation', 400);
    const record = prepareVariation(env, existing, p);
    finalizeVariation(env, record);
    this.store.save(record);
    if (existing.parentId !== record.parentId) this.syncParent(env, existing.parentId);
    this.syncParent(env, record.parentId, record.id);
    this.onWrite(record.id);
    this.emit('updated', record.id);
    return record;
  }

  deleteVariation(env: WriteEnv, id: number, force: boolean): DeleteResult {
    const before = this.store.variation(id);
    if (!before) throw invalidId('product_variation', 404);
    if (force) this.store.remove(id);
    else {
      if (before.status === 'trash') throw alreadyTrashed('product_variation');
      this.store.save(this.trashed(env, before));
      this.emit('deleted', id);
    }
    this.syncParent(env, before.parentId);
    this.onWrite(id);
    return { before };
  }

  /** wp_trash_post: status trash, slug suffixed, and the post metas WordPress uses to restore it. */
  private trashed(env: WriteEnv, r: ProductRecord): ProductRecord {
    const meta = [
      ...r.meta,
      { id: this.store.allocateMetaId(), key: '_wp_trash_meta_status', value: r.status },
      { id: this.store.allocateMetaId(), key: '_wp_trash_meta_time', value: String(Math.floor(env.now / 1000)) },
      { id: this.store.allocateMetaId(), key: '_wp_desired_post_slug', value: r.slug },
    ];
    const slug = r.type === 'variation' ? r.slug : `${r.slug}__trashed`;
    return { ...r, status: 'trash', slug, meta, modified: env.now };
  }

  /** WC_Product_Variable::sync after a variation changed: the parent is saved too. */
  private syncParent(env: WriteEnv, parentId: number, childId?: number): void {
    const parent = this.store.product(parentId);
    if (!parent) return;
    const children = parent.children.filter((id) => {
      const child = this.store.get(id);
      return child !== undefined && child.parentId === parentId;
    });
    if (childId !== undefined && !children.includes(childId)) children.push(childId);
    // get_children(): menu_order, then id.
    children.sort((a, b) => (this.store.get(a)?.menuOrder ?? 0) - (this.store.get(b)?.menuOrder ?? 0) || a - b);
    const next: ProductRecord = { ...parent, children, modified: env.now };
    if (next.type === 'variable' && !next.manageStock) next.stockStatus = childrenStockStatus(this.store, next);
    this.store.save(next);
  }
}
