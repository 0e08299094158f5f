/** An online order as the POS sees it, whatever shop it came from. */
export interface RemoteOrderLine {
  lineId: number;
  name: string;
  /** null when the shop product was deleted (M-B7). */
  sku: string | null;
  remoteProductId: number;
  remoteVariationId: number;
  quantity: number;
  price: number;
}

export interface RemoteOrder {
  id: number;
  status: string;
  dateCreatedGmt: string;
  dateModifiedGmt: string;
  lines: RemoteOrderLine[];
}
