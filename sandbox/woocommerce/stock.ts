// Stock rules: WC_Product::validate_props on save, the variable parent's status synced from its
// variations, and what a variation shows when its parent manages stock ("parent").
import type { Backorders, ProductRecord, StockStatus } from './model';
import type { Store } from './store';

/** Stock status from quantity (woocommerce_notify_no_stock_amount = 0). */
export function statusFromQuantity(qty: number | null, backorders: Backorders): StockStatus {
  if ((qty ?? 0) > 0) return 'instock';
  return backorders !== 'no' ? 'onbackorder' : 'outofstock';
}

/** validate_props: unmanaged stock has no quantity; managed stock recomputes the status. */
export function alignStock(r: ProductRecord): void {
  if (r.type === 'grouped' || r.type === 'external') r.manageStock = false;
  if (!r.manageStock) {
    r.stockQuantity = null;
    r.backorders = 'no';
    r.lowStockAmount = null;
    if (r.type === 'external') r.stockStatus = 'instock';
    return;
  }
  r.stockStatus = statusFromQuantity(r.stockQuantity, r.backorders);
}

export interface EffectiveStock {
  manageStock: boolean | 'parent';
  stockQuantity: number | null;
  stockStatus: StockStatus;
  backorders: Backorders;
}

/** A variation that does not manage stock while its parent does shows the parent's stock. */
export function effectiveStock(store: Store, r: ProductRecord): EffectiveStock {
  if (r.type === 'variation' && !r.manageStock) {
    const parent = store.get(r.parentId);
    if (parent?.manageStock) {
      return { manageStock: 'parent', stockQuantity: parent.stockQuantity, stockStatus: parent.stockStatus, backorders: parent.backorders };
    }
  }
  return { manageStock: r.manageStock, stockQuantity: r.stockQuantity, stockStatus: r.stockStatus, backorders: r.backorders };
}

/** sync_stock_status of a variable product that does not manage stock itself. */
export function childrenStockStatus(store: Store, parent: ProductRecord): StockStatus {
  let backorder = false;
  for (const id of parent.children) {
    const v = store.get(id);
    if (!v || v.status === 'trash') continue;
    // The parent does not manage stock here, so each variation's own status counts.
    const status = v.stockStatus;
    if (status === 'instock') return 'instock';
    if (status === 'onbackorder') backorder = true;
  }
  return backorder ? 'onbackorder' : 'outofstock';
}
