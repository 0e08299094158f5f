/**
 * Setup shared by the test files, as mocha hooks: the stack, a shop for the whole describe block,
 * and shops (or slow creates) that one test opens and that are closed after it. Each returns at
 * once a stand-in that the hooks fill, so a describe block reads `const stack = useTestStack();`.
 */
import type { WooSandboxOptions } from '../../sandbox/woocommerce';
import type { Stack } from '../../stack/start';
import { SlowCreates } from '../contract/slow-creates';
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

/** One fresh sandbox shop (freshShop) for the whole block: opened before its tests, closed after them. */
export function useShop(stack: Stack, opts: WooSandboxOptions = {}): TestShop {
  const shop = filledLater<TestShop>('the shop');
  let opened: TestShop | undefined;
  before(async function () {
    this.timeout(SETUP_HANG_GUARD_MS);
    opened = await freshShop(stack, opts);
    shop.fill(opened);
  });
  after(async () => opened?.sandbox.close());
  return shop.value;
}

/** The contract store (sandbox, or the real store with WOO_CONTRACT_URL) connected for the whole block. */
export function useContractShop(stack: Stack, opts: { timeoutMs?: number } = {}): ContractShop {
  const shop = filledLater<ContractShop>('the contract shop');
  let opened: ContractShop | undefined;
  before(async function () {
    this.timeout(SETUP_HANG_GUARD_MS);
    opened = await contractShop(stack, opts);
    shop.fill(opened);
  });
  after(async () => opened?.close());
  return shop.value;
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
