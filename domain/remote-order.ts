/** An online order as the POS sees it, whatever shop it came from. */
export interface RemoteOrderLine {
  lineId: number;
  name: string;
  /** null when the shop product was deleted (M-B7). */
  sku: string | null;
  remoteProductId: number;
  remoteVariationId: number;
  quantity: number;
  /** Units the shop holds out of stock for this line now (`_reduced_stock`, M-B10); the POS deducts exactly these. */
  reducedStock: number;
  price: number;
  /** Only for SKUs the POS did not have when the order was read. */
  shop?: ShopItemInfo;
}

export interface RemoteOrder {
  id: number;
  status: string;
  dateCreatedGmt: string;
  dateModifiedGmt: string;
  lines: RemoteOrderLine[];
}

/**
 * What the shop says about an item the POS does not know (M-B6), read when the order was fetched,
 * so that the POS item is created as the shop has it: its stock level (point 9) and, for a
 * variation, its variable parent and attribute values (point 10).
 */
export interface ShopItemInfo {
  /** The shop's stock level then; null when the shop does not track it. */
  stock: number | null;
  /** When `stock` was read (ISO); orders the shop changed before that are already in it. */
  readAt: string;
  name: string;
  price: number | null;
  /** A variation's own attribute values. */
  attributes: { name: string; option: string }[];
  /** Set for a variation: the shop's variable product it belongs to. */
  parent?: { remoteId: number; sku: string; name: string; attributes: { name: string; options: string[] }[] };
}
