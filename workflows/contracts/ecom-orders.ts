import type { OrderPollInput } from './order-sync';

/** One eCom order delivery's apply: a redelivery of the same body finds its workflow already there. */
export const ecomOrderSyncWorkflowId = (connectionId: string, orderId: number, version: string): string =>
  `ecom-order-sync/${connectionId}/${orderId}/${version}`;
/** The long-lived poll of an eCom connection's orders. */
export const ecomOrderPollWorkflowId = (connectionId: string): string => `ecom-order-poll/${connectionId}`;

export interface EcomOrderPollInput extends OrderPollInput {
  everySeconds: number;
  /** Where this installation is reached from the shop; set: the poll keeps the shop's order webhook pointing here. */
  publicUrl?: string;
}
