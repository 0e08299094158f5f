/** Pure types of the POS catalog, shared by workflows, activities and the API. No I/O here. */

export type ProductType = 'simple' | 'variable';

export interface Dimensions {
  length: number | null;
  width: number | null;
  height: number | null;
}

export interface ProductImage {
  src: string;
  alt?: string;
}

/** An attribute of a variable product and the values its variants may take. */
export interface ProductAttribute {
  name: string;
  options: string[];
}

export interface VariantAttribute {
  name: string;
  option: string;
}

export interface VariantSnapshot {
  id: number;
  sku: string;
  upc: string;
  retailPrice: number;
  attributes: VariantAttribute[];
  image: ProductImage | null;
  weight: number | null;
  dimensions: Dimensions | null;
  active: boolean;
  position: number;
  /** Stock at the outlet(s) the snapshot was taken for. */
  stock: number;
  /** Set when a SmartBill connection owns this item's stock in the shop (M-D8): the POS does not write it there. */
  stockOwner?: 'smartbill';
}

/** Everything the POS owns about a product, as read at one instant (M-A1). */
export interface ProductSnapshot {
  id: number;
  sku: string;
  type: ProductType;
  name: string;
  description: string;
  brand: string;
  upc: string;
  retailPrice: number | null;
  active: boolean;
  channels: string[];
  attributes: ProductAttribute[];
  images: ProductImage[];
  weight: number | null;
  dimensions: Dimensions | null;
  version: number;
  /** Stock of a simple product at the outlet(s) the snapshot was taken for; for variable, the sum of variants. */
  stock: number;
  /** Set when a SmartBill connection owns this product's stock in the shop (M-D8): the POS does not write it there. */
  stockOwner?: 'smartbill';
  /** Archived in the POS (its delete): removed from the shops, never created there again. */
  archived?: boolean;
  variants: VariantSnapshot[];
}

/** The channel that makes a product visible in the online stores. */
export const ONLINE_CHANNEL = 'online';

export function isSoldOnline(p: Pick<ProductSnapshot, 'channels'>): boolean {
  return p.channels.includes(ONLINE_CHANNEL);
}
