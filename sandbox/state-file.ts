// A sandbox shop kept on disk (issue 8 point 1): loaded at start, written after changes settle and
// on close, so a restart finds the shop as it was. Requests never pay for it: a timer compares the
// store's change mark, and a snapshot is written once writes pause (or every maxDelayMs under steady
// writes), atomically (temporary file, then rename). Used by the WooCommerce and the eCom sandbox.
import fs from 'node:fs';
import path from 'node:path';

const FORMAT = 1;

interface StateFile<S> {
  format: number;
  savedAt: string;
  store: S;
}

/** A store that can be saved: a mark that changes with every write, and its state as plain data. */
export interface Persistable<S = unknown> {
  changeMark(): string;
  snapshot(): S;
}

/** Where `npm start` keeps the sandbox store of a connection: <data folder>/sandbox/<connection>.json. */
export function sandboxStateFile(dataDir: string, connectionId: string): string {
  return path.join(dataDir, 'sandbox', `${connectionId}.json`);
}

/** The saved state of a store; undefined when there is no file (a new, empty shop). */
export function readSavedState<S>(file: string): S | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const parsed = JSON.parse(text) as StateFile<S>;
    if (parsed.format !== FORMAT || !parsed.store) throw new Error(`unknown format ${String(parsed.format)}`);
    return parsed.store;
  } catch (err) {
    throw new Error(
      `the sandbox store's saved state ${file} cannot be read (${(err as Error).message}); ` +
        '`npm run possync -- sandbox reset <connection>` starts that sandbox empty',
    );
  }
}

function serialize(store: Persistable): string {
  const body: StateFile<unknown> = { format: FORMAT, savedAt: new Date().toISOString(), store: store.snapshot() };
  return JSON.stringify(body);
}

/** The timer's writes and the closing write use their own temporary files. */
function tempName(file: string, kind: 'timer' | 'close'): string {
  return `${file}.${process.pid}.${kind}.tmp`;
}

/** Writes the store to the file now, atomically. */
export function writeStateNow(store: Persistable, file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = tempName(file, 'close');
  fs.writeFileSync(tmp, serialize(store));
  fs.renameSync(tmp, file);
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

  constructor(private readonly store: Persistable, private readonly file: string, private readonly opts: StateKeeperOptions = {}) {
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
    writeStateNow(this.store, this.file);
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
