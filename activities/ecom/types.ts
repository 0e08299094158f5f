// Shapes of the Lightspeed eCom API as this client reads and writes them. Reads are normalized:
// relations become an id or null (the API sends the literal false), numbers sent as strings become
// numbers.

export type EcomVisibility = 'visible' | 'hidden' | 'auto';
export type EcomStockTracking = 'enabled' | 'disabled' | 'indicator';

export interface EcomProduct {
  id: number;
  createdAt: string;
  updatedAt: string;
  visibility: EcomVisibility;
  isVisible: boolean;
  title: string;
  fulltitle: string;
  description: string;
  content: string;
  url: string;
  brandId: number | null;
  /** The main image's src, null without images. */
  imageSrc: string | null;
  /** Free field; possync writes its creation marker here on create only (see activities/ecom/product-create.ts). */
  data01: string;
}

export interface EcomProductWrite {
  title?: string;
  fulltitle?: string;
  description?: string;
  content?: string;
  visibility?: EcomVisibility;
  /** A brand id, or false to unlink. */
  brand?: number | false;
  /** Free field. */
  data01?: string;
}

export interface EcomVariant {
  id: number;
  productId: number;
  createdAt: string;
  updatedAt: string;
  isDefault: boolean;
  sortOrder: number;
  title: string;
  sku: string;
  ean: string;
  articleCode: string;
  priceExcl: number;
  priceIncl: number;
  oldPriceIncl: number;
  stockTracking: EcomStockTracking;
  stockLevel: number;
  /** Grams. */
  weight: number;
  sizeX: number;
  sizeY: number;
  sizeZ: number;
  /** The variant's own image src, null without one. */
  imageSrc: string | null;
}

export interface EcomVariantWrite {
  /** Required on create, an integer. */
  product?: number;
  /** Required and non-empty on create. */
  title?: string;
  sku?: string;
  ean?: string;
  articleCode?: string;
  priceIncl?: number;
  priceExcl?: number;
  stockTracking?: EcomStockTracking;
  stockLevel?: number;
  /** Whole grams. */
  weight?: number;
  sizeXValue?: number;
  sizeYValue?: number;
  sizeZValue?: number;
  sizeUnit?: 'cm' | 'in';
  sortOrder?: number;
  /** The variant's own image; false removes it. */
  image?: EcomImageUpload | false;
}

export interface EcomBrand {
  id: number;
  title: string;
  isVisible: boolean;
}

export interface EcomImage {
  id: number;
  sortOrder: number;
  title: string;
  src: string;
  size: number;
  extension: string;
}

export interface EcomImageUpload {
  /** The file's bytes, base64. */
  attachment: string;
  filename: string;
  title?: string;
}

export interface EcomOrderProduct {
  id: number;
  productId: number | null;
  variantId: number | null;
  productTitle: string;
  variantTitle: string;
  sku: string;
  ean: string;
  articleCode: string;
  quantityOrdered: number;
  quantityRefunded: number;
  quantityReturned: number;
  priceIncl: number;
}

export interface EcomOrder {
  id: number;
  number: string;
  createdAt: string;
  updatedAt: string;
  status: string;
  paymentStatus: string;
  shipmentStatus: string;
  channel: string;
}

export interface EcomWebhookWrite {
  isActive: boolean;
  itemGroup: string;
  itemAction: string;
  language: string;
  format: 'json';
  address: string;
}

export interface EcomWebhook extends EcomWebhookWrite {
  id: number;
}

export interface EcomListQuery {
  page?: number;
  /** At most 250. */
  limit?: number;
  since_id?: number;
  /** 'YYYY-MM-DD HH:MM:SS' (see ecomDateTime). */
  updated_at_min?: string;
  created_at_min?: string;
  [filter: string]: string | number | undefined;
}
