// The WooCommerce sandbox store on disk: sandbox/state-file.ts does the saving; this reads it back
// into a Store, and empties a saved sandbox shop of either kind on purpose (`possync sandbox reset`).
import fs from 'node:fs';
import { readSavedState, writeStateNow } from '../state-file';
import { Store, type StoreSnapshot } from './store';
import { EcomStore, type EcomStoreSnapshot } from '../ecom/model';

export { StateKeeper, sandboxStateFile } from '../state-file';

/** Fills the store from the file; false when there is none (a new, empty shop). */
export function loadStoreState(store: Store, file: string): boolean {
  const saved = readSavedState<StoreSnapshot>(file);
  if (!saved) return false;
  store.restore(saved);
  return true;
}

/**
 * `possync sandbox reset`: the file then holds an empty store that keeps its id sequences, so the
 * new shop never gives out an id the old one used (links and imported orders name them); an
 * unreadable file is removed. False when there was no file.
 */
export function resetStateFile(file: string): boolean {
  const store = new Store();
  try {
    const saved = readSavedState<StoreSnapshot | EcomStoreSnapshot>(file);
    if (!saved) return false;
    if ('shop' in saved && saved.shop === 'ecom') {
      const ecom = new EcomStore();
      ecom.restore(saved);
      ecom.clearKeepingIds();
      writeStateNow(ecom, file);
      return true;
    }
    store.restore(saved as StoreSnapshot);
  } catch {
    // Unreadable: nothing to keep.
    fs.rmSync(file, { force: true });
    return true;
  }
  const { nextId, nextMeta, orders, webhooks } = store.snapshot();
  store.clear();
  store.restore({
    ...store.snapshot(), nextId, nextMeta,
    orders: { ...orders, orders: [], notes: [] },
    webhooks: { items: [], nextId: webhooks.nextId },
  });
  writeStateNow(store, file);
  return true;
}
