import axios, { type AxiosInstance } from 'axios';
import type { Stack } from '../../stack/start';
import type { WooClient } from '../../activities/woocommerce/client';
import { openContractStore, type ContractStore } from '../contract/store';

let counter = 0;

export interface ContractShop {
  connectionId: string;
  outletId: number;
  registerId: number;
  store: ContractStore;
  /** A client of our own, with the default timeout, to look at the shop. */
  client: WooClient;
  api: AxiosInstance;
  close(): Promise<void>;
}

/**
 * A shop connected to the test stack through its own outlet and register: the sandbox in CI, the
 * real store when WOO_CONTRACT_URL and keys are set. `timeoutMs` is possync's client timeout for it.
 * Every other connection is deactivated.
 */
export async function contractShop(stack: Stack, opts: { timeoutMs?: number } = {}): Promise<ContractShop> {
  counter += 1;
  const tag = `c${process.pid}-${counter}-${Date.now() % 100000}`;
  const store = await openContractStore();
  const { db } = stack;
  const [outlet] = await db('outlets').insert({ name: `Outlet ${tag}` }, ['id']);
  const [register] = await db('registers').insert({ outlet_id: outlet.id, name: `Register ${tag}` }, ['id']);
  const connectionId = `test-${tag}`;
  await db('connections').update({ active: false });
  await db('connections').insert({ id: connectionId, kind: 'woocommerce', name: `Test ${tag}`, base_url: store.url, register_id: register.id });
  stack.woo.set(connectionId, { baseUrl: store.url, consumerKey: store.consumerKey, consumerSecret: store.consumerSecret, timeoutMs: opts.timeoutMs });
  const api = axios.create({ baseURL: stack.httpUrl, validateStatus: () => true });
  return { connectionId, outletId: outlet.id, registerId: register.id, store, client: store.client(), api, close: () => store.close() };
}
