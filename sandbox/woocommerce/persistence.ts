// The sandbox store kept on disk (issue 8 point 1): loaded at start, written after changes settle
// and on close, so a restart finds the shop as it was. Requests never pay for it: a timer compares
// the store's change mark, and a snapshot is written once writes pause (or every maxDelayMs under
// steady writes), atomically (temporary file, then rename).
import fs from 'node:fs';
import path from 'node:path';
import { Store, type StoreSnapshot } from './store';

const FORMAT = 1;

interface StateFile {
  format: number;
  savedAt: string;
  store: StoreSnapshot;
}

/** Where `npm start` keeps the sandbox store of a connection: <data folder>/sandbox/<connection>.json. */
export function sandboxStateFile(dataDir: string, connectionId: string): string {
  return path.join(dataDir, 'sandbox', `${connectionId}.json`);
}

/** Fills the store from the file; false when there is none (a new, empty shop). */
export function loadStoreState(store: Store, file: string): boolean {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  let parsed: StateFile;
  try {
    parsed = JSON.parse(text) as StateFile;
    if (parsed.format !== FORMAT || !parsed.store) throw new Error(`unknown format ${String(parsed.format)}`);
  } catch (err) {
    throw new Error(
      `the sandbox store's saved state ${file} cannot be read (${(err as Error).message}); ` +
        '`npm run possync -- sandbox reset <connection>` starts that sandbox empty',
    );
  }
  store.restore(parsed.store);
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
    if (!loadStoreState(store, file)) return false;
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
  const tmp = tempName(file, 'close');
  fs.writeFileSync(tmp, serialize(store));
  fs.renameSync(tmp, file);
  return true;
}

function serialize(store: Store): string {
  const body: StateFile = { format: FORMAT, savedAt: new Date().toISOString(), store: store.snapshot() };
  return JSON.stringify(body);
}

/** The timer's writes and the closing write use their own temporary files. */
function tempName(file: string, kind: 'timer' | 'close'): string {
  return `${file}.${process.pid}.${kind}.tmp`;
}

export interface StateKeeperOptions {
  /** How often the change mark is compared. Default 1000 ms. */
  tickMs?: number;
  /** Longest a change waits for writes to pause. Default 10 s. */
  maxDelayMs?: number;
}

export class StateKeeper {
  private readonly timer: NodeJS.Timeout;
  private savedMark: string;
  private lastMark: string;
  private dirtySince: number | undefined;
  private writing: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly store: Store, private readonly file: string, private readonly opts: StateKeeperOptions = {}) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.savedMark = this.lastMark = store.changeMark();
    this.timer = setInterval(() => this.tick(), opts.tickMs ?? 1000);
    this.timer.unref();
  }

  private tick(): void {
    if (this.writing) return;
    const mark = this.store.changeMark();
    if (mark === this.savedMark) {
      this.dirtySince = undefined;
      return;
    }
    const now = Date.now();
    this.dirtySince ??= now;
    const settled = mark === this.lastMark;
    this.lastMark = mark;
    if (settled || now - this.dirtySince >= (this.opts.maxDelayMs ?? 10_000)) this.writing = this.write(mark).finally(() => (this.writing = undefined));
  }

  private async write(mark: string): Promise<void> {
    const text = serialize(this.store);
    const tmp = tempName(this.file, 'timer');
    try {
      await fs.promises.writeFile(tmp, text);
      if (this.closed) return void (await fs.promises.rm(tmp, { force: true }));
      await fs.promises.rename(tmp, this.file);
      this.savedMark = mark;
      this.dirtySince = undefined;
    } catch {
      // Tried again on the next tick, and on close.
    }
  }

  /** Writes the store now if it changed since the last write. */
  saveNow(): void {
    const mark = this.store.changeMark();
    if (mark === this.savedMark) return;
    const tmp = tempName(this.file, 'close');
    fs.writeFileSync(tmp, serialize(this.store));
    fs.renameSync(tmp, this.file);
    this.savedMark = this.lastMark = mark;
  }

  /** The last write, synchronously: the state is on disk when this returns. */
  close(): void {
    if (this.closed) return;
    clearInterval(this.timer);
    this.closed = true;
    this.saveNow();
  }
}
