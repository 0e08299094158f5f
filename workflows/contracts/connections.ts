/** Ids and shapes of the connection workflows (issue 9, issue 8 point 3). */
export const connectionCheckWorkflowId = (connectionId: string): string => `connection-check/${connectionId}`;
export const CONNECTIONS_OVERVIEW_WORKFLOW_ID = 'connections-overview';
export const CONNECTIONS_RELOAD_WORKFLOW_ID = 'connections-reload';

export type CheckStep = 'ok' | 'failed' | 'not checked';

export interface ConnectionCheckReport {
  connectionId: string;
  ok: boolean;
  steps: { reachable: CheckStep; credentials: CheckStep; read: CheckStep; write: CheckStep };
  /** Exactly what is wrong and what to do; absent when ok. */
  problem?: string;
  /** The shop's own answer behind the problem (status, code, message). */
  detail?: string;
  /** A channel this build does not run yet (eCom, SmartBill): stored, not checked. */
  unavailable?: boolean;
}

export interface ConnectionReloadReport {
  added: string[];
  changed: { id: string; fields: string[] }[];
  deactivated: string[];
  unchanged: string[];
  checks: ConnectionCheckReport[];
}
