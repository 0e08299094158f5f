import axios, { type AxiosInstance } from 'axios';
import type { Stack } from '../../stack/start';
import { openContractStore, type ContractStore } from '../contract/store';

export interface ContractShop {
  store: ContractStore;
  connectionId: string;
  outletId: number;
  otherOutletId: number;
  registerId: number;
  /** The POS API. */
  api: AxiosInstance;
}

/** A connection to the contract store: the sandbox, or the real store when WOO_CONTRACT_URL is set. */
export async function connectContractStore(stack: Stack): Promise<ContractShop> {
  const store = await openContractStore();
  const tag = `${process.pid}-${Date.now() % 100000}`;
  const [outlet] = await stack.db('outlets').insert({ name: `Outlet ${tag}` }, ['id']);
  const [other] = await stack.db('outlets').insert({ name: `Other ${tag}` }, ['id']);
  const [register] = await stack.db('registers').insert({ outlet_id: outlet.id, name: `Register ${tag}` }, ['id']);
  const connectionId = `contract-${tag}`;
  await stack.db('connections').update({ active: false });
  await stack.db('connections').insert({ id: connectionId, kind: 'woocommerce', name: `Contract ${tag}`, base_url: store.url, register_id: register.id });
  stack.woo.set(connectionId, { baseUrl: store.url, consumerKey: store.consumerKey, consumerSecret: store.consumerSecret });
  const api = axios.create({ baseURL: stack.httpUrl, validateStatus: () => true });
  return { store, connectionId, outletId: outlet.id, otherOutletId: other.id, registerId: register.id, api };
}

