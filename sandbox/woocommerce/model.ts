// In-memory records: what the store keeps for a product or a variation (one WP post each).

export type ProductType = 'simple' | 'variable' | 'grouped' | 'external' | 'variation';
export type StockStatus = 'instock' | 'outofstock' | 'onbackorder';
export type Backorders = 'no' | 'notify' | 'yes';

export interface MetaEntry {
  id: number;
  key: string;
  value: unknown;
}

export interface ProductAttribute {
  /** 0 for a custom attribute, the global attribute id otherwise. */
  id: number;
  name: string;
  position: number;
  visible: boolean;
  variation: boolean;
  options: string[];
}

/** A variation's value for one parent attribute; key is the sanitized attribute name. */
export interface AttributeValue {
  key: string;
  option: string;
}

export interface Download {
  id: string;
  name: string;
  file: string;
}

export interface ProductRecord {
  id: number;
  type: ProductType;
  /** The variable product of a variation; a product's own parent_id otherwise. */
  parentId: number;
  /** post_title: a variation's is "Parent - S". */
  name: string;
  slug: string;
  status: string;
  featured: boolean;
  catalogVisibility: string;
  description: string;
  shortDescription: string;
  sku: string;
  regularPrice: string;
  salePrice: string;
  /** Epoch ms, or null when not scheduled. */
  saleFrom: number | null;
  saleTo: number | null;
  totalSales: number;
  virtual: boolean;
  downloadable: boolean;
  downloads: Download[];
  downloadLimit: number;
  downloadExpiry: number;
  externalUrl: string;
  buttonText: string;
  taxStatus: string;
  taxClass: string;
  manageStock: boolean;
  stockQuantity: number | null;
  stockStatus: StockStatus;
  backorders: Backorders;
  lowStockAmount: number | null;
  soldIndividually: boolean;
  weight: string;
  length: string;
  width: string;
  height: string;
  reviewsAllowed: boolean;
  upsellIds: number[];
  crossSellIds: number[];
  purchaseNote: string;
  categoryIds: number[];
  tagIds: number[];
  /** Featured image (0 = none); a variation's only image. */
  imageId: number;
  galleryIds: number[];
  attributes: ProductAttribute[];
  variationAttributes: AttributeValue[];
  defaultAttributes: AttributeValue[];
  menuOrder: number;
  meta: MetaEntry[];
  /** Epoch ms, seconds precision. */
  created: number;
  modified: number;
  /** Variation ids of a variable product, in creation order. */
  children: number[];
  groupedIds: number[];
  postPassword: string;
}

export function newProductRecord(type: ProductType, now: number): ProductRecord {
  const isVariation = type === 'variation';
  return {
    id: 0,
    type,
    parentId: 0,
    name: '',
    slug: '',
    status: 'publish',
    featured: false,
    catalogVisibility: 'visible',
    description: '',
    shortDescription: '',
    sku: '',
    regularPrice: '',
    salePrice: '',
    saleFrom: null,
    saleTo: null,
    totalSales: 0,
    virtual: false,
    downloadable: false,
    downloads: [],
    downloadLimit: -1,
    downloadExpiry: -1,
    externalUrl: '',
    buttonText: '',
    taxStatus: 'taxable',
    taxClass: isVariation ? 'parent' : '',
    manageStock: false,
    stockQuantity: null,
    stockStatus: 'instock',
    backorders: 'no',
    lowStockAmount: null,
    soldIndividually: false,
    weight: '',
    length: '',
    width: '',
    height: '',
    reviewsAllowed: !isVariation,
    upsellIds: [],
    crossSellIds: [],
    purchaseNote: '',
    categoryIds: [],
    tagIds: [],
    imageId: 0,
    galleryIds: [],
    attributes: [],
    variationAttributes: [],
    defaultAttributes: [],
    menuOrder: 0,
    meta: [],
    created: now,
    modified: now,
    children: [],
    groupedIds: [],
    postPassword: '',
  };
}

export function cloneRecord(r: ProductRecord): ProductRecord {
  return {
    ...r,
    downloads: r.downloads.map((d) => ({ ...d })),
    upsellIds: [...r.upsellIds],
    crossSellIds: [...r.crossSellIds],
    categoryIds: [...r.categoryIds],
    tagIds: [...r.tagIds],
    galleryIds: [...r.galleryIds],
    attributes: r.attributes.map((a) => ({ ...a, options: [...a.options] })),
    variationAttributes: r.variationAttributes.map((a) => ({ ...a })),
    defaultAttributes: r.defaultAttributes.map((a) => ({ ...a })),
    meta: r.meta.map((m) => ({ ...m, value: structuredCloneValue(m.value) })),
    children: [...r.children],
    groupedIds: [...r.groupedIds],
  };
}

function structuredCloneValue(v: unknown): unknown {
  return v !== null && typeof v === 'object' ? (JSON.parse(JSON.stringify(v)) as unknown) : v;
}

export const isVariation = (r: ProductRecord): boolean => r.type === 'variation';
