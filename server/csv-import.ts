import { parse } from 'csv-parse/sync';
import { checkProductRules, type ProductInput } from '../domain/product-input';
import { DB_INT_MAX, productSchema } from './schemas';
import { problemsFromZod, type Problem } from './errors';

/**
 * The product CSV: one row per simple product, one row per variable product, and one row per
 * variant naming its product in parent_sku. `stock:<outlet name>` columns set stock levels.
 */
export const CSV_COLUMNS = [
  'sku', 'name', 'type', 'description', 'brand', 'upc', 'retail_price', 'active', 'online', 'weight',
  'length', 'width', 'height', 'image_urls', 'parent_sku',
  'option1_name', 'option1_value', 'option2_name', 'option2_value', 'option3_name', 'option3_value',
] as const;

export interface CsvStockLevel {
  sku: string;
  outletName: string;
  quantity: number;
  line: number;
}

export interface ParsedCsv {
  products: { input: ProductInput; line: number }[];
  stock: CsvStockLevel[];
  problems: Problem[];
}

type Row = Record<string, string>;

const MAX_ROWS = 50_000;

export function parseProductCsv(text: string, outletNames: string[]): ParsedCsv {
  const problems: Problem[] = [];
  let records: { record: Row; info: { lines: number } }[];
  try {
    records = parse(text, { columns: (h: string[]) => h.map((c) => c.trim()), info: true, skip_empty_lines: true, trim: true, bom: true }) as never;
  } catch (err) {
    const e = err as { lines?: number; message: string };
    return { products: [], stock: [], problems: [{ line: e.lines, field: 'csv', message: e.message }] };
  }
  if (records.length === 0) return { products: [], stock: [], problems: [{ line: 1, field: 'csv', message: 'the file has no product rows' }] };
  if (records.length > MAX_ROWS) return { products: [], stock: [], problems: [{ field: 'csv', message: `at most ${MAX_ROWS} rows per import` }] };

  const header = Object.keys(records[0]!.record);
  for (const col of header) {
    const stockOutlet = col.startsWith('stock:') ? col.slice('stock:'.length).trim() : undefined;
    if (stockOutlet !== undefined) {
      if (!outletNames.includes(stockOutlet)) problems.push({ line: 1, column: col, field: col, message: `no outlet is named "${stockOutlet}" (outlets: ${outletNames.join(', ')})` });
    } else if (!(CSV_COLUMNS as readonly string[]).includes(col)) {
      problems.push({ line: 1, column: col, field: col, message: `unknown column; the columns are ${CSV_COLUMNS.join(', ')} and stock:<outlet name>` });
    }
  }
  for (const required of ['sku', 'name']) {
    if (!header.includes(required)) problems.push({ line: 1, column: required, field: required, message: 'this column is required' });
  }
  if (problems.length > 0) return { products: [], stock: [], problems };

  const parents = new Map<string, { row: Row; line: number; variants: { row: Row; line: number }[] }>();
  const seen = new Map<string, number>();
  const stock: CsvStockLevel[] = [];
  for (const { record: row, info } of records) {
    const line = info.lines;
    const sku = row.sku ?? '';
    if (!sku) {
      problems.push({ line, column: 'sku', field: 'sku', message: 'is required' });
      continue;
    }
    if (seen.has(sku)) {
      problems.push({ line, column: 'sku', field: 'sku', message: `SKU "${sku}" already appears on line ${seen.get(sku)}` });
      continue;
    }
    seen.set(sku, line);
    for (const col of header.filter((c) => c.startsWith('stock:'))) {
      const raw = row[col] ?? '';
      if (raw === '') continue;
      const n = Number(raw);
      if (!Number.isInteger(n) || n < 0 || n > DB_INT_MAX) problems.push({ line, column: col, field: col, message: `"${raw}" is not a whole number from 0 to ${DB_INT_MAX}` });
      else stock.push({ sku, outletName: col.slice('stock:'.length).trim(), quantity: n, line });
    }
    const parentSku = row.parent_sku ?? '';
    if (parentSku) {
      const parent = parents.get(parentSku);
      if (!parent) problems.push({ line, column: 'parent_sku', field: 'parent_sku', message: `no earlier row has SKU "${parentSku}"` });
      else parent.variants.push({ row, line });
    } else {
      parents.set(sku, { row, line, variants: [] });
    }
  }

  const products: ParsedCsv['products'] = [];
  for (const { row, line } of [...parents.values(), ...[...parents.values()].flatMap((p) => p.variants)]) {
    for (const col of ['retail_price', 'weight', 'length', 'width', 'height'] as const) {
      const raw = row[col];
      if (raw !== undefined && raw !== '' && !Number.isFinite(Number(raw))) problems.push({ line, column: col, field: col, message: `"${raw}" is not a number` });
    }
    const active = row.active;
    if (active !== undefined && active !== '' && typeof bool(active, true) === 'string') {
      problems.push({ line, column: 'active', field: 'active', message: `"${active}" is not yes/no, true/false or 1/0` });
    }
  }
  // Cells already reported above are not reported again by the schema.
  const reported = new Set(problems.map((p) => `${p.line}:${p.column}`));
  for (const { row, line, variants } of parents.values()) {
    const type = row.type || (variants.length > 0 ? 'variable' : 'simple');
    const attributes = new Map<string, string[]>();
    const variantDocs = variants.map(({ row: v, line: vLine }) => {
      const attrs = [1, 2, 3]
        .map((n) => ({ name: v[`option${n}_name`] ?? '', option: v[`option${n}_value`] ?? '' }))
        .filter((a) => a.name !== '' || a.option !== '');
      for (const a of attrs) {
        const opts = attributes.get(a.name) ?? [];
        if (!opts.includes(a.option)) opts.push(a.option);
        attributes.set(a.name, opts);
      }
      return { line: vLine, doc: { sku: v.sku, upc: v.upc ?? '', retail_price: num(v.retail_price), attributes: attrs, weight: optNum(v.weight), dimensions: dims(v), active: bool(v.active, true), image: firstImage(v.image_urls) } };
    });
    const doc = {
      sku: row.sku, type, name: row.name ?? '', description: row.description ?? '', brand: row.brand ?? '', upc: row.upc ?? '',
      retail_price: type === 'variable' ? null : num(row.retail_price), active: bool(row.active, true),
      channels: bool(row.online, true) ? ['in_store', 'online'] : ['in_store'],
      attributes: [...attributes].map(([name, options]) => ({ name, options })),
      images: splitImages(row.image_urls).map((src) => ({ src })), weight: optNum(row.weight), dimensions: dims(row),
      variants: variantDocs.map((v) => v.doc),
    };
    const parsed = productSchema.safeParse(doc);
    if (!parsed.success) {
      for (const p of problemsFromZod(parsed.error)) {
        const m = /^variants\[(\d+)\]\.?(.*)$/.exec(p.field);
        const vLine = m ? variantDocs[Number(m[1])]?.line : undefined;
        const at = { ...p, line: vLine ?? line, column: columnOf(m ? m[2]! : p.field) };
        if (!reported.has(`${at.line}:${at.column}`)) problems.push(at);
      }
      continue;
    }
    const input = parsed.data as ProductInput;
    for (const p of checkProductRules(input)) {
      const m = /^variants\[(\d+)\]/.exec(p.field);
      problems.push({ ...p, line: m ? variantDocs[Number(m[1])]?.line ?? line : line, column: columnOf(p.field) });
    }
    products.push({ input, line });
  }
  return { products, stock, problems };
}

function columnOf(field: string): string {
  if (field.startsWith('retail_price')) return 'retail_price';
  if (field.startsWith('images') || field.startsWith('image')) return 'image_urls';
  if (field.startsWith('dimensions.')) return field.slice('dimensions.'.length);
  if (field.startsWith('attributes') || field.includes('attributes')) return 'option1_name';
  return field.split(/[.[]/)[0] || 'sku';
}

// Values the schema will reject keep their text, so the error names what was in the file.
function num(v: string | undefined): number | string | null {
  if (v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : v;
}
function optNum(v: string | undefined): number | string | null {
  return num(v);
}
function bool(v: string | undefined, dflt: boolean): boolean | string {
  if (v === undefined || v === '') return dflt;
  const s = v.toLowerCase();
  if (['1', 'true', 'yes', 'y'].includes(s)) return true;
  if (['0', 'false', 'no', 'n'].includes(s)) return false;
  return v;
}
function dims(row: Row) {
  const l = num(row.length), w = num(row.width), h = num(row.height);
  return l === null && w === null && h === null ? null : { length: l, width: w, height: h };
}
function splitImages(v: string | undefined): string[] {
  return (v ?? '').split(/[|\s]+/).filter(Boolean);
}
function firstImage(v: string | undefined) {
  const first = splitImages(v)[0];
  return first ? { src: first } : null;
}
