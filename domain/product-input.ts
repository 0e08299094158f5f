import type { Dimensions, ProductAttribute, ProductImage, VariantAttribute } from './product';

/** A product as the POS "save product" form (and a CSV import) sends it: the whole document. */
export interface VariantInput {
  sku: string;
  upc: string;
  retail_price: number;
  attributes: VariantAttribute[];
  image: ProductImage | null;
  weight: number | null;
  dimensions: Dimensions | null;
  active: boolean;
}

export interface ProductInput {
  sku: string;
  type: 'simple' | 'variable';
  name: string;
  description: string;
  brand: string;
  upc: string;
  retail_price: number | null;
  active: boolean;
  channels: string[];
  attributes: ProductAttribute[];
  images: ProductImage[];
  weight: number | null;
  dimensions: Dimensions | null;
  variants: VariantInput[];
}

export interface InputProblem {
  field: string;
  message: string;
}

/** Rules a product must satisfy beyond field types. Returns every problem, with the field path. */
export function checkProductRules(p: ProductInput): InputProblem[] {
  const problems: InputProblem[] = [];
  if (p.type === 'simple') {
    if (p.retail_price === null) problems.push({ field: 'retail_price', message: 'a simple product needs a retail_price' });
    if (p.variants.length > 0) problems.push({ field: 'variants', message: 'a simple product has no variants; use type "variable"' });
    if (p.attributes.length > 0) problems.push({ field: 'attributes', message: 'a simple product has no variant attributes' });
    return problems;
  }
  if (p.attributes.length === 0) problems.push({ field: 'attributes', message: 'a variable product needs at least one attribute' });
  if (p.variants.length === 0) problems.push({ field: 'variants', message: 'a variable product needs at least one variant' });
  const names = new Set<string>();
  p.attributes.forEach((a, i) => {
    if (names.has(a.name.toLowerCase())) problems.push({ field: `attributes[${i}].name`, message: `attribute "${a.name}" appears twice` });
    names.add(a.name.toLowerCase());
  });
  const skus = new Set<string>([p.sku]);
  const combos = new Set<string>();
  p.variants.forEach((v, i) => {
    if (skus.has(v.sku)) problems.push({ field: `variants[${i}].sku`, message: `SKU "${v.sku}" is used twice in this product` });
    skus.add(v.sku);
    for (const [j, va] of v.attributes.entries()) {
      const attr = p.attributes.find((a) => a.name.toLowerCase() === va.name.toLowerCase());
      if (!attr) {
        problems.push({ field: `variants[${i}].attributes[${j}].name`, message: `"${va.name}" is not an attribute of this product` });
      } else if (!attr.options.includes(va.option)) {
        problems.push({
          field: `variants[${i}].attributes[${j}].option`,
          message: `"${va.option}" is not one of the options of "${attr.name}" (${attr.options.join(', ')})`,
        });
      }
    }
    const combo = v.attributes.map((a) => `${a.name.toLowerCase()}=${a.option}`).sort().join('&');
    if (combos.has(combo)) problems.push({ field: `variants[${i}].attributes`, message: 'another variant has the same attribute values' });
    combos.add(combo);
  });
  return problems;
}
