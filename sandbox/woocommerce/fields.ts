// `_fields`: limits a response to the listed fields (dotted paths reach into objects); id stays.
// A single object keeps its `_links` (WordPress adds links after filtering); list items lose them
// unless asked for (their links are already part of the data), as recorded.
import { wpParseList } from './schema-validate';

type FieldTree = { [key: string]: FieldTree | true };

function fieldTree(fields: string[]): FieldTree {
  const tree: FieldTree = {};
  for (const field of fields) {
    const parts = field.split('.');
    let node = tree;
    for (let i = 0; i < parts.length - 1; i++) {
      const part = parts[i]!;
      const next = node[part];
      if (next === true) break;
      node = node[part] = next ?? {};
    }
    node[parts[parts.length - 1]!] = true;
  }
  return tree;
}

function pick(data: unknown, tree: FieldTree): unknown {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return data;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    const sub = tree[key];
    if (sub === true) out[key] = value;
    else if (sub) out[key] = pick(value, sub);
  }
  return out;
}

/** Applies `_fields` to an object, or to each element of a list. */
export function filterFields(data: unknown, fieldsParam: unknown): unknown {
  if (fieldsParam === undefined || fieldsParam === null) return data;
  const fields = wpParseList(fieldsParam).map((f) => String(f).trim()).filter((f) => f !== '');
  if (fields.length === 0) return data;
  const tree = fieldTree([...fields, 'id']);
  if (Array.isArray(data)) return data.map((item) => pick(item, tree));
  return pick(data, { ...tree, _links: true });
}
