import { WooClient } from './client';
import type { WooClients } from './product-push';

export interface WooCredentials {
  baseUrl: string;
  consumerKey: string;
  consumerSecret: string;
  /** Client timeout per request (default 30 s). */
  timeoutMs?: number;
}

/** Holds one client per connection id. Credentials stay here, in the worker; workflows only see ids. */
export class WooClientRegistry implements WooClients {
  private readonly clients = new Map<string, WooClient>();

  set(connectionId: string, creds: WooCredentials): void {
    this.clients.set(connectionId, new WooClient({ ...creds, connectionId }));
  }

  get(connectionId: string): WooClient {
    const client = this.clients.get(connectionId);
    if (!client) throw new Error(`no WooCommerce credentials are configured for connection ${connectionId}`);
    return client;
  }

  totalRequests(): number {
    let n = 0;
    for (const c of this.clients.values()) n += c.requestCount;
    return n;
  }
}
