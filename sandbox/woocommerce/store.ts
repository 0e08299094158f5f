// The store's data: products and variations (one id space, like WP posts, shared with orders and
// refunds), their SKU and slug indexes, terms, media, orders and webhooks. Records are replaced
// whole on save so readers never see half of a write.
import { MediaLibrary, type MediaSnapshot } from './media';
import { type ProductRecord, isVariation } from './model';
import { OrderBook, type OrderBookSnapshot } from './order-book';
import { Taxonomy, type TaxonomySnapshot } from './taxonomy';
import { WebhookBook, type WebhookBookSnapshot } from './webhook-model';

/** Low post ids belong to the sample pages of a fresh WordPress install. */
const FIRST_POST_ID = 10;

/** What a cached list depends on (its ordering, or which items are visible), so it survives unrelated writes. */
export type SortDependency = 'id' | 'date' | 'title' | 'slug' | 'status' | 'any';

/** Everything the store holds, as plain JSON (see persistence.ts). */
export interface StoreSnapshot {
  nextId: number;
  nextMeta: number;
  posts: ProductRecord[];
  taxonomy: TaxonomySnapshot;
  media: MediaSnapshot;
  orders: OrderBookSnapshot;
  webhooks: WebhookBookSnapshot;
}

export class Store {
  posts = new Map<number, ProductRecord>();
  taxonomy = new Taxonomy();
  media: MediaLibrary;
  readonly orderBook = new OrderBook();
  readonly webhooks = new WebhookBook();
  private nextId = FIRST_POST_ID;
  private nextMeta = 1;
  /** Lower-cased SKU -> ids holding it (trashed ones included; filtered by the callers). */
  private skuIndex = new Map<string, Set<number>>();
  private slugIndex = new Map<string, number>();
  private versions: Record<SortDependency, number> = { id: 0, date: 0, title: 0, slug: 0, status: 0, any: 0 };

  constructor() {
    this.media = new MediaLibrary(() => this.allocateId());
  }

  clear(): void {
    this.posts = new Map();
    this.taxonomy = new Taxonomy();
    this.media = new MediaLibrary(() => this.allocateId());
    this.orderBook.clear();
    this.webhooks.clear();
    this.nextId = FIRST_POST_ID;
    this.nextMeta = 1;
    this.skuIndex = new Map();
    this.slugIndex = new Map();
    for (const k of Object.keys(this.versions) as SortDependency[]) this.versions[k]++;
  }

  /** The records are shared, not copied: they are replaced whole on save, never changed in place. */
  snapshot(): StoreSnapshot {
    return {
      nextId: this.nextId,
      nextMeta: this.nextMeta,
      posts: [...this.posts.values()],
      taxonomy: this.taxonomy.snapshot(),
      media: this.media.snapshot(),
      orders: this.orderBook.snapshot(),
      webhooks: this.webhooks.snapshot(),
    };
  }

  /** Replaces everything with a snapshot's content. */
  restore(s: StoreSnapshot): void {
    this.clear();
    for (const r of s.posts) this.save(r);
    this.taxonomy.restore(s.taxonomy);
    this.media.restore(s.media);
    this.orderBook.restore(s.orders);
    this.webhooks.restore(s.webhooks);
    this.nextId = s.nextId;
    this.nextMeta = s.nextMeta;
  }

  /** No product, variation or order: a new shop (a reset one keeps only its id sequences). */
  isEmpty(): boolean {
    return this.posts.size === 0 && this.orderBook.size === 0;
  }

  /** Bumped by every change a snapshot would show (persistence.ts compares it between ticks). */
  changeMark(): string {
    const t = this.taxonomy;
    return [this.versions.any, this.nextId, this.nextMeta, this.orderBook.version, this.media.items.size, t.categories.size, t.tags.size, t.attributes.size, this.webhooks.changeMark()].join('|');
  }

  allocateId(): number {
    return this.nextId++;
  }

  allocateMetaId(): number {
    return this.nextMeta++;
  }

  get(id: number): ProductRecord | undefined {
    return this.posts.get(id);
  }

  /** A product (not a variation). */
  product(id: number): ProductRecord | undefined {
    const r = this.posts.get(id);
    return r && !isVariation(r) ? r : undefined;
  }

  variation(id: number): ProductRecord | undefined {
    const r = this.posts.get(id);
    return r && isVariation(r) ? r : undefined;
  }

  version(dep: SortDependency): number {
    return this.versions[dep];
  }

  /** Inserts or replaces a record, keeping the indexes in step. */
  save(next: ProductRecord): void {
    const prev = this.posts.get(next.id);
    if (prev) this.unindex(prev);
    this.posts.set(next.id, next);
    this.index(next);
    this.versions.any++;
    if (!prev) {
      this.versions.id++;
      this.versions.date++;
      this.versions.title++;
      this.versions.slug++;
      this.versions.status++;
      return;
    }
    if (prev.status !== next.status) this.versions.status++;
    if (prev.created !== next.created) this.versions.date++;
    if (prev.name !== next.name) this.versions.title++;
    if (prev.slug !== next.slug) this.versions.slug++;
  }

  remove(id: number): void {
    const prev = this.posts.get(id);
    if (!prev) return;
    this.unindex(prev);
    this.posts.delete(id);
    for (const k of Object.keys(this.versions) as SortDependency[]) this.versions[k]++;
  }

  /** Products and variations holding this SKU, compared case-insensitively like MySQL collations. */
  bySku(sku: string): ProductRecord[] {
    const ids = this.skuIndex.get(sku.toLowerCase());
    if (!ids) return [];
    const out: ProductRecord[] = [];
    for (const id of ids) {
      const r = this.posts.get(id);
      if (r) out.push(r);
    }
    return out.sort((a, b) => a.id - b.id);
  }

  /**
   * SKUs (lower case) whose uniqueness check a slow create already passed when it arrived: the
   * insert does not check again (WooCommerce's check-then-insert). Set only while one request runs.
   */
  preCheckedSkus: ReadonlySet<string> | undefined;

  /** The id of another non-trashed product or variation already holding this SKU. */
  skuOwner(sku: string, exceptId: number): number | undefined {
    if (exceptId === 0 && this.preCheckedSkus?.has(sku.toLowerCase())) return undefined;
    return this.bySku(sku).find((r) => r.id !== exceptId && r.status !== 'trash')?.id;
  }

  /** wp_unique_post_slug for products: 'tee', 'tee-2', 'tee-3'... */
  uniqueSlug(base: string, selfId: number): string {
    const root = base || String(selfId);
    let slug = root;
    for (let n = 2; ; n++) {
      const owner = this.slugIndex.get(slug);
      if (owner === undefined || owner === selfId) return slug;
      slug = `${root}-${n}`;
    }
  }

  private index(r: ProductRecord): void {
    if (r.sku !== '') {
      const key = r.sku.toLowerCase();
      let set = this.skuIndex.get(key);
      if (!set) this.skuIndex.set(key, (set = new Set()));
      set.add(r.id);
    }
    if (!isVariation(r) && r.slug !== '') this.slugIndex.set(r.slug, r.id);
  }

  private unindex(r: ProductRecord): void {
    if (r.sku !== '') {
      const key = r.sku.toLowerCase();
      const set = this.skuIndex.get(key);
      set?.delete(r.id);
      if (set?.size === 0) this.skuIndex.delete(key);
    }
    if (!isVariation(r) && this.slugIndex.get(r.slug) === r.id) this.slugIndex.delete(r.slug);
  }
}
