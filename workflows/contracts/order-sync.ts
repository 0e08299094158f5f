import { defineQuery, defineSignal } from '@temporalio/workflow';

/** Ids of the live order sync (M-B1). */
export const orderSyncWorkflowId = (connectionId: string, orderId: number, version: string): string =>
  `order-sync/${connectionId}/${orderId}/${version}`;
/** The Schedule of earlier versions: removed at start, the long-lived poll below replaces it. */
export const orderPollScheduleId = (connectionId: string): string => `order-poll/${connectionId}`;
/** One long-lived poll per connection (issue 8 point 7). */
export const orderPollWorkflowId = (connectionId: string): string => `order-poll/${connectionId}`;

/** A new interval, sent with signal-with-start at every start, so a changed ORDER_POLL_SECONDS applies at once. */
export const setPollIntervalSignal = defineSignal<[number]>('setPollInterval');
export const orderPollStatusQuery = defineQuery<OrderPollStatus>('pollStatus');

export interface OrderPollResult {
  orders: number;
  modifiedAfter: string;
  imported: number;
  failed: number;
  /** The newest modification seen (ISO): the next poll asks from here (minus an overlap). */
  watermark?: string;
}

export interface OrderPollStatus {
  connectionId: string;
  everySeconds: number;
  /** Where the next poll starts (ISO), carried over continue-as-new. */
  cursor?: string;
  polls: number;
  orders: number;
  imported: number;
  failed: number;
  lastPollAt?: string;
  nextPollAt?: string;
  /** The last poll's failure (e.g. the shop is down); cleared by the next poll that works. */
  lastError?: string;
  failingSince?: string;
  /** The setup step's failure (eCom: ensuring the shop's order webhook); cleared once it works. */
  setupError?: string;
}

export interface OrderPollInput {
  connectionId: string;
  /** Given: the poll runs for ever, one poll every this many seconds. Absent: one poll, then it ends (the Schedule of earlier versions, tests). */
  everySeconds?: number;
  /** Polls per run before continue-as-new (default 100, about 1,500 history events). */
  pollsPerRun?: number;
  carried?: OrderPollStatus;
}
