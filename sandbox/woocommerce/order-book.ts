// Orders held by the store, indexed by id, date_created and date_modified (kept sorted on every
// change, never per request), their notes (comments), and the id sequences of order items, item
// meta and notes. Records are replaced whole on save so readers never see half of a write.
import type { OrderNote, OrderRecord } from './order-model';
import { SortedIds } from './sorted-ids';

/** Comment 1 is the "Hello world!" comment of a fresh WordPress install. */
const FIRST_COMMENT_ID = 2;

export interface OrderBookSnapshot {
  orders: OrderRecord[];
  notes: OrderNote[];
  nextItemId: number;
  nextItemMetaId: number;
  nextOrderMetaId: number;
  nextCommentId: number;
}

export class OrderBook {
  readonly orders = new Map<number, OrderRecord>();
  readonly byId = new SortedIds((id) => id);
  readonly byCreated = new SortedIds((id) => this.orders.get(id)!.created);
  readonly byModified = new SortedIds((id) => this.orders.get(id)!.modified);
  private notes = new Map<number, OrderNote>();
  private notesByOrder = new Map<number, number[]>();
  private nextItemId = 1;
  private nextItemMetaId = 1;
  private nextOrderMetaId = 1;
  private nextCommentId = FIRST_COMMENT_ID;
  /** Bumped on every change; list answers may be cached against it. */
  version = 0;

  snapshot(): OrderBookSnapshot {
    const { nextItemId, nextItemMetaId, nextOrderMetaId, nextCommentId } = this;
    return { orders: [...this.orders.values()], notes: [...this.notes.values()], nextItemId, nextItemMetaId, nextOrderMetaId, nextCommentId };
  }

  restore(s: OrderBookSnapshot): void {
    this.clear();
    this.addMany(s.orders);
    for (const note of [...s.notes].sort((a, b) => a.id - b.id)) {
      this.notes.set(note.id, note);
      let list = this.notesByOrder.get(note.orderId);
      if (!list) this.notesByOrder.set(note.orderId, (list = []));
      list.push(note.id);
    }
    ({ nextItemId: this.nextItemId, nextItemMetaId: this.nextItemMetaId, nextOrderMetaId: this.nextOrderMetaId, nextCommentId: this.nextCommentId } = s);
  }

  get(id: number): OrderRecord | undefined {
    return this.orders.get(id);
  }

  get size(): number {
    return this.orders.size;
  }

  allocateItemId(): number {
    return this.nextItemId++;
  }

  allocateItemMetaId(): number {
    return this.nextItemMetaId++;
  }

  allocateOrderMetaId(): number {
    return this.nextOrderMetaId++;
  }

  /** Inserts or replaces an order, keeping the indexes in step. */
  save(next: OrderRecord): void {
    const prev = this.orders.get(next.id);
    if (prev) {
      // Removal uses the old keys: the map still holds the previous record here.
      if (prev.created !== next.created) this.byCreated.remove(next.id);
      if (prev.modified !== next.modified) this.byModified.remove(next.id);
    }
    this.orders.set(next.id, next);
    if (!prev) {
      this.byId.insert(next.id);
      this.byCreated.insert(next.id);
      this.byModified.insert(next.id);
    } else {
      if (prev.created !== next.created) this.byCreated.insert(next.id);
      if (prev.modified !== next.modified) this.byModified.insert(next.id);
    }
    this.version++;
  }

  /** Many new orders at once (seeding): the indexes are rebuilt with one sort each. */
  addMany(records: OrderRecord[]): void {
    for (const r of records) this.orders.set(r.id, r);
    const ids = [...this.orders.keys()];
    this.byId.rebuild(ids);
    this.byCreated.rebuild(ids);
    this.byModified.rebuild(ids);
    this.version++;
  }

  remove(id: number): void {
    if (!this.orders.has(id)) return;
    this.byId.remove(id);
    this.byCreated.remove(id);
    this.byModified.remove(id);
    this.orders.delete(id);
    for (const noteId of this.notesByOrder.get(id) ?? []) this.notes.delete(noteId);
    this.notesByOrder.delete(id);
    this.version++;
  }

  addNote(note: Omit<OrderNote, 'id'>): OrderNote {
    const saved: OrderNote = { ...note, id: this.nextCommentId++ };
    this.notes.set(saved.id, saved);
    let list = this.notesByOrder.get(saved.orderId);
    if (!list) this.notesByOrder.set(saved.orderId, (list = []));
    list.push(saved.id);
    this.version++;
    return saved;
  }

  note(id: number): OrderNote | undefined {
    return this.notes.get(id);
  }

  /** get_comments() for an order: newest first; notes of the same second in creation order (as recorded). */
  notesOf(orderId: number): OrderNote[] {
    const list = (this.notesByOrder.get(orderId) ?? []).map((id) => this.notes.get(id)!);
    return list.sort((a, b) => b.created - a.created || a.id - b.id);
  }

  deleteNote(id: number): void {
    const note = this.notes.get(id);
    if (!note) return;
    this.notes.delete(id);
    const list = this.notesByOrder.get(note.orderId);
    if (list) this.notesByOrder.set(note.orderId, list.filter((n) => n !== id));
    this.version++;
  }

  clear(): void {
    this.orders.clear();
    this.byId.clear();
    this.byCreated.clear();
    this.byModified.clear();
    this.notes = new Map();
    this.notesByOrder = new Map();
    this.nextItemId = 1;
    this.nextItemMetaId = 1;
    this.nextOrderMetaId = 1;
    this.nextCommentId = FIRST_COMMENT_ID;
    this.version++;
  }
}
