// What the eCom sandbox stores. Content that the real API keeps per shop language is a map by language.

export interface ProductText {
  title: string;
  fulltitle: string;
  description: string;
  content: string;
  url: string;
}

export interface ProductRow {
  id: number;
  createdAt: string;
  updatedAt: string;
  visibility: 'visible' | 'hidden' | 'auto';
  brand: number | null;
  data01: string;
  text: Record<string, ProductText>;
}

export interface VariantRow {
  id: number;
  product: number;
  createdAt: string;
  updatedAt: string;
  isDefault: boolean;
  sortOrder: number;
  title: Record<string, string>;
  /** The variant's own image (a file, not one of the product's images). */
  image: { filename: string; extension: string; size: number; title: string } | null;
  sku: string;
  ean: string;
  articleCode: string;
  priceExcl: number;
  priceIncl: number;
  priceCost: number;
  oldPriceExcl: number;
  oldPriceIncl: number;
  stockTracking: 'enabled' | 'disabled' | 'indicator';
  stockLevel: number;
  stockAlert: number;
  stockMinimum: number;
  stockSold: number;
  weight: number;
  weightValue: number;
  weightUnit: string;
  sizeX: number;
  sizeY: number;
  sizeZ: number;
  sizeXValue: number;
  sizeYValue: number;
  sizeZValue: number;
  sizeUnit: string;
}

export interface BrandRow {
  id: number;
  createdAt: string;
  updatedAt: string;
  isVisible: boolean;
  title: string;
  url: string;
  content: string;
}

export interface ImageRow {
  id: number;
  product: number;
  createdAt: string;
  updatedAt: string;
  sortOrder: number;
  title: string;
  extension: string;
  size: number;
  filename: string;
}

export interface OrderProductRow {
  id: number;
  product: number;
  variant: number | null;
  productTitle: string;
  variantTitle: string;
  sku: string;
  ean: string;
  articleCode: string;
  quantityOrdered: number;
  quantityRefunded: number;
  quantityReturned: number;
  priceExcl: number;
  priceIncl: number;
}

export interface OrderRow {
  id: number;
  number: string;
  createdAt: string;
  updatedAt: string;
  status: string;
  paymentStatus: string;
  shipmentStatus: string;
  channel: string;
  memo: string;
  products: OrderProductRow[];
}

export interface WebhookRow {
  id: number;
  createdAt: string;
  updatedAt: string;
  isActive: boolean;
  itemGroup: string;
  itemAction: string;
  language: string;
  format: string;
  address: string;
}

/** The store as plain data, for the data folder (sandbox/state-file.ts). `shop: 'ecom'` tells it from a WooCommerce one. */
export interface EcomStoreSnapshot {
  shop: 'ecom';
  products: ProductRow[];
  variants: VariantRow[];
  brands: BrandRow[];
  images: ImageRow[];
  orders: OrderRow[];
  webhooks: WebhookRow[];
  nextId: [string, number][];
}

export class EcomStore {
  products = new Map<number, ProductRow>();
  variants = new Map<number, VariantRow>();
  brands = new Map<number, BrandRow>();
  images = new Map<number, ImageRow>();
  orders = new Map<number, OrderRow>();
  webhooks = new Map<number, WebhookRow>();
  private nextId = new Map<string, number>();
  /** Moves on with every change (written by the app and the storefront's orders), for the state keeper. */
  private version = 0;

  touch(): void {
    this.version++;
  }

  changeMark(): string {
    return `${this.version}|${[...this.nextId.values()].join(',')}`;
  }

  isEmpty(): boolean {
    return this.products.size === 0 && this.orders.size === 0 && this.brands.size === 0;
  }

  snapshot(): EcomStoreSnapshot {
    return {
      shop: 'ecom',
      products: [...this.products.values()], variants: [...this.variants.values()], brands: [...this.brands.values()],
      images: [...this.images.values()], orders: [...this.orders.values()], webhooks: [...this.webhooks.values()],
      nextId: [...this.nextId.entries()],
    };
  }

  restore(s: EcomStoreSnapshot): void {
    this.clear();
    const fill = <T extends { id: number }>(m: Map<number, T>, rows: T[]) => rows.forEach((r) => m.set(r.id, r));
    fill(this.products, s.products);
    fill(this.variants, s.variants);
    fill(this.brands, s.brands);
    fill(this.images, s.images);
    fill(this.orders, s.orders);
    fill(this.webhooks, s.webhooks);
    this.nextId = new Map(s.nextId);
  }

  /** Empties the shop but keeps its id sequences, so no id is given out twice (`possync sandbox reset`). */
  clearKeepingIds(): void {
    const ids = new Map(this.nextId);
    this.clear();
    this.nextId = ids;
    this.touch();
  }

  id(kind: string): number {
    const n = (this.nextId.get(kind) ?? 0) + 1;
    this.nextId.set(kind, n);
    // Distinct ranges per resource, as real ids of different resources never coincide.
    const base: Record<string, number> = { product: 10_000, variant: 20_000, brand: 1_000, image: 30_000, order: 40_000, orderProduct: 50_000, webhook: 100 };
    return (base[kind] ?? 0) + n;
  }

  variantsOf(productId: number): VariantRow[] {
    return [...this.variants.values()].filter((v) => v.product === productId).sort((a, b) => a.sortOrder - b.sortOrder || a.id - b.id);
  }

  imagesOf(productId: number): ImageRow[] {
    return [...this.images.values()].filter((i) => i.product === productId).sort((a, b) => a.sortOrder - b.sortOrder || a.id - b.id);
  }

  clear(): void {
    for (const m of [this.products, this.variants, this.brands, this.images, this.orders, this.webhooks]) m.clear();
    this.nextId.clear();
  }
}
