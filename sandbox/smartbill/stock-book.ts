import type { SmartBillStockLine } from './types';

interface Entry {
  line: Omit<SmartBillStockLine, 'quantity'>;
  /** Levels in time order. */
  history: { at: number; quantity: number }[];
}

const keyOf = (warehouse: string, codeOrName: string) => `${warehouse.toLowerCase()}\u0000${codeOrName}`;

/** SmartBill's stock per warehouse and product, with its history, so `/stocks?date=` answers as of that day. */
export class StockBook {
  private readonly entries = new Map<string, Entry>();

  set(line: SmartBillStockLine, at: Date): void {
    const key = keyOf(line.warehouse, line.productCode || line.productName);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { line: { warehouse: line.warehouse, productCode: line.productCode, productName: line.productName, measuringUnit: line.measuringUnit }, history: [] };
      this.entries.set(key, entry);
    }
    entry.history.push({ at: at.getTime(), quantity: line.quantity });
  }

  level(warehouse: string, codeOrName: string, asOf = Date.now()): number | undefined {
    const entry = this.entries.get(keyOf(warehouse, codeOrName));
    return entry ? levelAt(entry, asOf) : undefined;
  }

  /** Lines of one warehouse (exact name, as the API compares it) or of all, as of a moment. */
  lines(asOf: number, filter: { warehouse?: string; productCode?: string; productName?: string } = {}): SmartBillStockLine[] {
    const out: SmartBillStockLine[] = [];
    for (const entry of this.entries.values()) {
      if (filter.warehouse && entry.line.warehouse !== filter.warehouse) continue;
      if (filter.productCode && entry.line.productCode !== filter.productCode) continue;
      if (filter.productName && entry.line.productName !== filter.productName) continue;
      const quantity = levelAt(entry, asOf);
      if (quantity !== undefined) out.push({ ...entry.line, quantity });
    }
    return out;
  }
}

function levelAt(entry: Entry, asOf: number): number | undefined {
  let found: number | undefined;
  for (const h of entry.history) {
    if (h.at > asOf) break;
    found = h.quantity;
  }
  return found;
}
