/** Ids and shapes of `shop-view` (issue 8.4/8.5): what a shop holds for a SKU beside what the POS would push. */
export const shopViewWorkflowId = (connectionId: string, sku: string, at: number): string => `shop-view/${connectionId}/${sku}/${at}`;

export interface ShopViewInput {
  connectionId: string;
  /** A product's or a variant's SKU. */
  sku: string;
}

/** The fields compared, as WooCommerce names them. */
export interface ShopFields {
  status: string;
  sku: string;
  name?: string;
  /** Absent on the POS side when another source owns the item's stock (M-D8): not compared then. */
  manage_stock?: boolean | 'parent';
  stock_quantity?: number | null;
  regular_price: string;
  sale_price: string;
}

export interface ShopViewItem {
  /** `product`, or `variation Size=M` */
  label: string;
  posVariantId: number | null;
  /** The shop id the POS link names (null: not linked). */
  linkedRemoteId: number | null;
  /** What the shop holds (null: the shop has nothing here). */
  shop: (ShopFields & { id: number; type?: string; stock_status: string; date_modified_gmt?: string }) | null;
  /** What the POS would push (null: the POS has nothing here). */
  pos: ShopFields | null;
  /** Fields whose values differ; `missing in the shop` / `not in the POS` when one side is absent. */
  differences: string[];
}

export interface ShopViewResult {
  connectionId: string;
  sku: string;
  pos: { productId: number; sku: string; name: string; type: string; version: number; outletIds: number[] } | null;
  /** Set when the shop could not be read: why (the POS side is still filled in). */
  shopError?: string;
  items: ShopViewItem[];
}
