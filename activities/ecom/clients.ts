import { ApplicationFailure } from '@temporalio/common';
import { EcomClient } from './client';
import type { EcomConnection, EcomRegistry } from './registry';

const clients = new Map<string, { config: EcomConnection; client: EcomClient }>();

/**
 * The client of an eCom connection of this process, made once per configuration (it keeps its
 * sockets; the budget is per shop key anyway). An unknown connection is not retried: it must be
 * configured first.
 */
export function ecomClientFor(registry: EcomRegistry | undefined, connectionId: string): EcomClient {
  const config = registry?.get(connectionId);
  if (!config) throw ApplicationFailure.nonRetryable(`eCom connection ${connectionId} is not configured in this worker`, 'UnknownEcomConnection');
  const cached = clients.get(connectionId);
  if (cached && cached.config === config) return cached.client;
  cached?.client.close();
  const client = new EcomClient({ baseUrl: config.baseUrl, apiKey: config.apiKey, apiSecret: config.apiSecret, language: config.language, budget: config.budget });
  clients.set(connectionId, { config, client });
  return client;
}
