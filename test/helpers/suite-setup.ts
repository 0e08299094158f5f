/**
 * Setup shared by the test files, as mocha hooks: the stack, a shop for the whole describe block,
 * and shops (or slow creates) that one test opens and that are closed after it. Each returns at
 * once a stand-in that the hooks fill, so a describe block reads `const stack = useTestStack();`.
 */
import type { WooSandboxOptions } from '../../sandbox/woocommerce';
import type { Stack } from '../../stack/start';
import { SlowCreates } from '../contract/slow-creates';
import { openContractStore, type ContractStore } from '../contract/store';
import { startReceiver, type WebhookReceiver } from '../sandbox/helpers/webhook-receiver';
import { contractShop, type ContractShop } from './contract-shop';
import { freshShop, type TestShop } from './shop';
import { testStack } from './test-stack';

/**
 * Hang guard of the hooks that start the stack or open a shop: generous, so a busy machine (the
 * first start compiles the workflow bundle and starts PostgreSQL and Temporal) only makes them slow.
 */
export const SETUP_HANG_GUARD_MS = 600_000;

/**
 * Hang guard of a test on the stack (its describe block's mocha timeout): the tests wait for
 * events, never for a time budget, and retries back off up to a minute apart, so this only ends a
 * test that hangs.
 */
export const TEST_HANG_GUARD_MS = 600_000;

/** A stand-in for an object set up by a hook: it reads and writes through to the object, once there. */
function filledLater<T extends object>(what: string): { value: T; fill(v: T): void } {
  let current: T | undefined;
  const target = (): T => {
    if (!current) throw new Error(`${what} is not set up yet: use it inside a test or a hook`);
    return current;
  };
  const value = new Proxy({} as T, {
    get: (_, key) => Reflect.get(target(), key),
    set: (_, key, v) => Reflect.set(target(), key, v),
    has: (_, key) => Reflect.has(target(), key),
    ownKeys: () => Reflect.ownKeys(target()),
    getOwnPropertyDescriptor: (_, key) => {
      const d = Reflect.getOwnPropertyDescriptor(target(), key);
      return d && { ...d, configurable: true };
    },
  });
  return { value, fill: (v) => (current = v) };
}

/** The shared test stack (test/helpers/test-stack.ts), started before the block's tests. */
export function useTestStack(): Stack {
  const stack = filledLater<Stack>('the test stack');
  before(async function () {
    this.timeout(SETUP_HANG_GUARD_MS);
    stack.fill(await testStack());
  });
  return stack.value;
}

/** Something opened before the block's tests and closed after them, as a stand-in filled by the hook. */
export function useForBlock<T extends object>(what: string, open: () => Promise<T>, close: (opened: T) => Promise<unknown>): T {
  const holder = filledLater<T>(what);
  let opened: T | undefined;
  before(async function () {
    this.timeout(SETUP_HANG_GUARD_MS);
    opened = await open();
    holder.fill(opened);
  });
  after(async () => opened && close(opened));
  return holder.value;
}

/** One fresh sandbox shop (freshShop) for the whole block: opened before its tests, closed after them. */
export function useShop(stack: Stack, opts: WooSandboxOptions = {}): TestShop {
  return useForBlock('the shop', () => freshShop(stack, opts), (shop) => shop.sandbox.close());
}

/** The contract store (sandbox, or the real store with WOO_CONTRACT_URL) connected for the whole block. */
export function useContractShop(stack: Stack, opts: { timeoutMs?: number } = {}): ContractShop {
  return useForBlock('the contract shop', () => contractShop(stack, opts), (shop) => shop.close());
}

/**
 * The contract store, reset, with webhook deliveries at once, and a receiver for them, for the
 * whole block; the block is skipped where the store cannot deliver on demand.
 */
export function useWebhookContractStore(): { store: ContractStore; rx: WebhookReceiver } {
  const store = filledLater<ContractStore>('the contract store');
  const rx = filledLater<WebhookReceiver>('the webhook receiver');
  const opened: { store?: ContractStore; rx?: WebhookReceiver } = {};
  before(async function () {
    this.timeout(SETUP_HANG_GUARD_MS);
    opened.store = await openContractStore({ webhookDelayMs: 0 });
    if (!opened.store.canSettleWebhooks) {
      await opened.store.close();
      opened.store = undefined;
      this.skip();
    }
    await opened.store.reset();
    store.fill(opened.store);
    opened.rx = await startReceiver();
    rx.fill(opened.rx);
  });
  after(async () => {
    await opened.rx?.close();
    await opened.store?.close();
  });
  return { store: store.value, rx: rx.value };
}

/**
 * Shops that each test opens for itself, closed after it, the last opened first (slow creates
 * before the store they slow down).
 */
export function useShopsPerTest(stack: Stack) {
  const closers: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    let failure: unknown;
    for (const close of closers.splice(0).reverse()) await close().catch((err: unknown) => (failure ??= err));
    if (failure) throw failure;
  });
  return {
    /** A fresh sandbox shop (freshShop). */
    async fresh(opts: WooSandboxOptions = {}): Promise<TestShop> {
      const shop = await freshShop(stack, opts);
      closers.push(async () => {
        shop.sandbox.resetFaults();
        await shop.sandbox.close();
      });
      return shop;
    },
    /** The contract store connected with possync's client timeout `timeoutMs`. */
    async contract(opts: { timeoutMs?: number } = {}): Promise<ContractShop> {
      const shop = await contractShop(stack, opts);
      closers.push(() => shop.close());
      return shop;
    },
    /** Makes the shop's creates take `ms` (SlowCreates), until the test ends. */
    async slowCreates(shop: ContractShop, ms: number): Promise<SlowCreates> {
      const slow = new SlowCreates(shop.store, ms);
      await slow.start();
      closers.push(() => slow.stop());
      return slow;
    },
  };
}
