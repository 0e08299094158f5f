import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';

export interface TemporalTarget {
  address: string;
  namespace: string;
  apiKey?: string;
  tls?: boolean;
}

export async function connectClient(t: TemporalTarget): Promise<Client> {
  const connection = await Connection.connect({ address: t.address, tls: t.tls || undefined, apiKey: t.apiKey });
  return new Client({ connection, namespace: t.namespace });
}

export async function connectWorkerConnection(t: TemporalTarget): Promise<NativeConnection> {
  return NativeConnection.connect({ address: t.address, tls: t.tls || undefined, apiKey: t.apiKey });
}
