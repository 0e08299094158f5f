/** Contract of the operator's actions on a product the merchant trashed in the shop (issue 6 point 6). */
export type ShopItemAction = 'restore' | 'unlink';

export interface ShopItemActionInput {
  connectionId: string;
  productId: number;
  action: ShopItemAction;
}

export interface ShopItemActionResult {
  /** What was done, in words for the operator. */
  message: string;
  /** True when the product's push must run now (restore: it untrashes and pushes). */
  push: boolean;
}

export const shopItemActionWorkflowId = (i: ShopItemActionInput): string => `shop-item/${i.connectionId}/${i.productId}/${i.action}`;
