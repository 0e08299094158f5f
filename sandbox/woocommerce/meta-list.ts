// WC_Data::update_meta_data on a list of {id, key, value}: an entry with the given id is updated in
// place, otherwise the first entry with the key takes the value (other entries with that key are
// dropped) or a new entry is added; null values are deleted on save.

export interface MetaLike {
  id: number;
  key: string;
  value: unknown;
}

export function updateMeta<T extends MetaLike>(list: T[], key: string, value: unknown, id: number, make: (key: string, value: unknown) => T): T[] {
  const byId = id ? list.find((e) => e.id === id) : undefined;
  if (byId) {
    byId.key = key;
    byId.value = value;
    return list;
  }
  const matches = list.filter((e) => e.key === key);
  const [first, ...rest] = matches;
  if (!first) return [...list, make(key, value)];
  first.value = value;
  return list.filter((e) => !rest.includes(e));
}

/** save_meta_data: entries set to null are removed. */
export function dropNullMeta<T extends MetaLike>(list: T[]): T[] {
  return list.filter((e) => e.value !== null && e.value !== undefined);
}
