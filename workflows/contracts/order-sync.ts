/** Ids of the live order sync (M-B1). */
export const orderSyncWorkflowId = (connectionId: string, orderId: number, version: string): string =>
  `order-sync/${connectionId}/${orderId}/${version}`;
export const orderPollScheduleId = (connectionId: string): string => `order-poll/${connectionId}`;
