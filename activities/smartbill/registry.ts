/** One SmartBill connection as the receiver and the apply workflow need it. Secrets stay in this process. */
export interface SmartBillConnection {
  id: string;
  /** SmartBill's API token: SmartBill sends it as the receiver's bearer token too, as to the plugin. */
  token: string;
  /** The account email (Basic auth `email:token` on SmartBill's API). */
  username: string;
  /** The company's VAT code (`cif`). */
  companyVat: string;
  /** SmartBill's API base (default `https://ws.smartbill.ro/SBORO/api`). */
  apiUrl: string;
  /** The warehouse (gestiune) whose movements count; unset: every item is skipped with the plugin's reason (M-D5). */
  warehouse?: string;
  /** The WooCommerce connection whose stock SmartBill sets. */
  shopConnectionId: string;
  /** Who owns the stock of a shop item that is also linked to the POS (M-D8). */
  stockOwner: 'pos' | 'smartbill';
  /** Off: the receiver answers the plugin's "sync is off" 400 and records nothing. */
  enabled: boolean;
}

export const SMARTBILL_API_URL = 'https://ws.smartbill.ro/SBORO/api';

/** Holds the SmartBill connections of this process, by id. */
export class SmartBillRegistry {
  private readonly connections = new Map<string, SmartBillConnection>();

  set(c: SmartBillConnection): void {
    this.connections.set(c.id, c);
  }

  get(id: string): SmartBillConnection | undefined {
    return this.connections.get(id);
  }

  delete(id: string): void {
    this.connections.delete(id);
  }

  all(): SmartBillConnection[] {
    return [...this.connections.values()];
  }
}
