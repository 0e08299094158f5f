import type { AxiosInstance } from 'axios';
import { apiClient } from './api';
import type { Stack } from '../../stack/start';
import type { WooClient } from '../../activities/woocommerce/client';
import { openContractStore, type ContractStore } from '../contract/store';

let counter = 0;

export interface ConnectedStore {
  connectionId: string;
  outletId: number;
  /** A second outlet, for stock that the connection must not see. */
  otherOutletId: number;
  registerId: number;
  /** The POS API. */
  api: AxiosInstance;
}

/**
 * The test stack connected to a contract store (sandbox or real) through its own outlet and
 * register; every other connection is deactivated, so pushes go only there. `timeoutMs` is
 * possync's client timeout for it.
 */
export async function connectStore(stack: Stack, store: ContractStore, opts: { timeoutMs?: number } = {}): Promise<ConnectedStore> {
  counter += 1;
  const tag = `${process.pid}-${counter}-${Date.now() % 100000}`;
  const { db } = stack;
  const [outlet] = await db('outlets').insert({ name: `Contract outlet ${tag}` }, ['id']);
  const [other] = await db('outlets').insert({ name: `Contract other ${tag}` }, ['id']);
  const [register] = await db('registers').insert({ outlet_id: outlet.id, name: `Contract register ${tag}` }, ['id']);
  const connectionId = `contract-${tag}`;
  await db('connections').update({ active: false });
  await db('connections').insert({ id: connectionId, kind: 'woocommerce', name: `Contract ${tag}`, base_url: store.url, register_id: register.id });
  stack.woo.set(connectionId, { baseUrl: store.url, consumerKey: store.consumerKey, consumerSecret: store.consumerSecret, timeoutMs: opts.timeoutMs });
  const api = apiClient(stack);
  return { connectionId, outletId: outlet.id, otherOutletId: other.id, registerId: register.id, api };
}

export interface ContractShop extends ConnectedStore {
  store: ContractStore;
  /** A client of our own, with the default timeout, to look at the shop. */
  client: WooClient;
  close(): Promise<void>;
}

/** Opens the contract store (the sandbox, or the real store when WOO_CONTRACT_URL is set) and connects the stack to it. */
export async function contractShop(stack: Stack, opts: { timeoutMs?: number } = {}): Promise<ContractShop> {
  const store = await openContractStore();
  const connected = await connectStore(stack, store, opts);
  return { ...connected, store, client: store.client(), close: () => store.close() };
}

export const connectContractStore = (stack: Stack): Promise<ContractShop> => contractShop(stack);
