import { WooClient } from './client';
import type { WooClients } from './product-push';

export interface WooCredentials {
  baseUrl: string;
  consumerKey: string;
  consumerSecret: string;
  /** Client timeout per request (default 30 s). */
  timeoutMs?: number;
}

/** A connection check answers within this (an unreachable store must not hold the start). */
const CHECK_TIMEOUT_MS = 10_000;

/** Holds one client per connection id. Credentials stay here, in the worker; workflows only see ids. */
export class WooClientRegistry implements WooClients {
  private readonly clients = new Map<string, WooClient>();
  private readonly credentials = new Map<string, WooCredentials>();

  set(connectionId: string, creds: WooCredentials): void {
    this.credentials.set(connectionId, creds);
    this.clients.set(connectionId, new WooClient({ ...creds, connectionId }));
  }

  /** A connection no longer configured (its links are kept in the database). */
  delete(connectionId: string): void {
    this.clients.delete(connectionId);
    this.credentials.delete(connectionId);
  }

  has(connectionId: string): boolean {
    return this.clients.has(connectionId);
  }

  get(connectionId: string): WooClient {
    const client = this.clients.get(connectionId);
    if (!client) throw new Error(`no WooCommerce credentials are configured for connection ${connectionId}`);
    return client;
  }

  /** A client with a short timeout for the connection check. */
  checkClient(connectionId: string): WooClient | undefined {
    const creds = this.credentials.get(connectionId);
    return creds ? new WooClient({ ...creds, timeoutMs: Math.min(creds.timeoutMs ?? CHECK_TIMEOUT_MS, CHECK_TIMEOUT_MS), maxSockets: 2 }) : undefined;
  }

  totalRequests(): number {
    let n = 0;
    for (const c of this.clients.values()) n += c.requestCount;
    return n;
  }
}
