import axios, { type AxiosInstance } from 'axios';
import type { Stack } from '../../stack/start';
import type { ContractStore } from './store';

let counter = 0;

export interface ConnectedStore {
  connectionId: string;
  outletId: number;
  registerId: number;
  api: AxiosInstance;
}

/**
 * The test stack connected to a contract store (sandbox or real) through its own outlet and
 * register; every other connection is deactivated, so pushes go only there.
 */
export async function connectStore(stack: Stack, store: ContractStore): Promise<ConnectedStore> {
  counter += 1;
  const tag = `${process.pid}-${counter}-${Date.now() % 100000}`;
  const { db } = stack;
  const [outlet] = await db('outlets').insert({ name: `Contract outlet ${tag}` }, ['id']);
  const [register] = await db('registers').insert({ outlet_id: outlet.id, name: `Contract register ${tag}` }, ['id']);
  const connectionId = `contract-${tag}`;
  await db('connections').update({ active: false });
  await db('connections').insert({ id: connectionId, kind: 'woocommerce', name: `Contract ${tag}`, base_url: store.url, register_id: register.id });
  stack.woo.set(connectionId, { baseUrl: store.url, consumerKey: store.consumerKey, consumerSecret: store.consumerSecret });
  return { connectionId, outletId: outlet.id, registerId: register.id, api: axios.create({ baseURL: stack.httpUrl, validateStatus: () => true }) };
}
