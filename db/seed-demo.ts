import type { Db } from './connection';
import { saveProduct } from '../activities/pos/catalog';
import { applyStockChanges, resolveSkus, type StockItem } from '../activities/pos/stock';
import type { ProductInput } from '../domain/product-input';

const SIMPLE = [
  'Espresso Cup', 'Latte Mug', 'Pour-over Kettle', 'Milk Jug', 'Tamper', 'Grinder Brush', 'Bean Canister', 'Scale',
  'Filter Papers', 'Drip Tray', 'Travel Tumbler', 'Tea Infuser', 'Cold Brew Jar', 'Knock Box', 'Cleaning Tablets',
  'Descaler', 'Barista Towel', 'Cocoa Tin', 'Syrup Pump', 'Sugar Bowl', 'Coaster Set', 'Espresso Spoon Set',
  'Thermometer', 'Dosing Cup', 'Portafilter Basket', 'Gasket Kit', 'Shower Screen', 'Water Filter', 'Stencil Set',
  'Chai Blend', 'Breakfast Blend', 'Decaf Blend', 'Single Origin Kenya', 'Single Origin Brazil', 'House Espresso',
  'Gift Card Holder', 'Recipe Book', 'Tote Bag', 'Enamel Pin', 'Sticker Pack',
];
const VARIABLE: { name: string; attrs: { name: string; options: string[] }[]; price: number }[] = [
  { name: 'Logo T-Shirt', attrs: [{ name: 'Size', options: ['S', 'M', 'L', 'XL'] }], price: 24 },
  { name: 'Barista Apron', attrs: [{ name: 'Colour', options: ['Black', 'Denim', 'Olive'] }], price: 39 },
  { name: 'Hoodie', attrs: [{ name: 'Size', options: ['S', 'M', 'L'] }, { name: 'Colour', options: ['Grey', 'Navy'] }], price: 55 },
  { name: 'Cap', attrs: [{ name: 'Colour', options: ['Black', 'Sand'] }], price: 19 },
  { name: 'Ceramic Dripper', attrs: [{ name: 'Size', options: ['01', '02'] }], price: 29 },
  { name: 'Glass Carafe', attrs: [{ name: 'Volume', options: ['400 ml', '600 ml', '800 ml'] }], price: 32 },
  { name: 'Beanie', attrs: [{ name: 'Colour', options: ['Rust', 'Charcoal'] }], price: 21 },
  { name: 'Socks', attrs: [{ name: 'Size', options: ['36-40', '41-46'] }], price: 12 },
  { name: 'Coffee Subscription Box', attrs: [{ name: 'Roast', options: ['Light', 'Medium', 'Dark'] }], price: 45 },
  { name: 'Canvas Bag', attrs: [{ name: 'Colour', options: ['Natural', 'Black'] }], price: 18 },
];

function combos(attrs: { name: string; options: string[] }[]): { name: string; option: string }[][] {
  return attrs.reduce<{ name: string; option: string }[][]>(
    (acc, a) => acc.flatMap((c) => a.options.map((o) => [...c, { name: a.name, option: o }])),
    [[]],
  );
}

/**
 * Two outlets with a register each and 50 products with stock. Only on an empty database, and only
 * for a start whose connections are all sandboxes (stack/connection-start.ts): the demo never
 * reaches a real shop (issue 8 point 2). The sandbox connection takes the first register.
 */
export async function seedDemo(db: Db): Promise<{ seeded: boolean }> {
  const existing = await db('outlets').count<{ count: string }[]>({ count: '*' });
  if (Number(existing[0]?.count ?? 0) > 0) return { seeded: false };
  await db.transaction(async (trx) => {
    const [main, harbour] = await trx('outlets').insert([{ name: 'Main Street' }, { name: 'Harbour' }], ['id']);
    await trx('registers').insert([{ outlet_id: main.id, name: 'Main Street Register 1' }, { outlet_id: harbour.id, name: 'Harbour Register 1' }]);
    const products: ProductInput[] = [
      ...SIMPLE.map((name, i) => ({
        sku: `DEMO-${String(i + 1).padStart(3, '0')}`, type: 'simple' as const, name, description: `${name} from the demo catalog.`,
        brand: i % 3 === 0 ? 'Possync Roasters' : '', upc: String(400000000000 + i), retail_price: 5 + ((i * 7) % 40) + 0.95,
        active: true, channels: i % 10 === 9 ? ['in_store'] : ['in_store', 'online'], attributes: [], images: [],
        weight: 0.2 + (i % 5) / 10, dimensions: { length: 10, width: 10, height: 5 + (i % 4) }, variants: [],
      })),
      ...VARIABLE.map((v, i) => {
        const sku = `DEMO-V${String(i + 1).padStart(2, '0')}`;
        return {
          sku, type: 'variable' as const, name: v.name, description: `${v.name} in every size and colour we make.`,
          brand: 'Possync Roasters', upc: '', retail_price: null, active: true, channels: ['in_store', 'online'],
          attributes: v.attrs, images: [], weight: 0.4, dimensions: null,
          variants: combos(v.attrs).map((c, j) => ({
            sku: `${sku}-${c.map((a) => a.option.replace(/\W+/g, '').toUpperCase()).join('-')}`, upc: '', retail_price: v.price + j % 2,
            attributes: c, image: null, weight: null, dimensions: null, active: true,
          })),
        };
      }),
    ];
    for (const p of products) await saveProduct(trx, p);
    const skus = products.flatMap((p) => (p.type === 'simple' ? [p.sku] : p.variants.map((v) => v.sku)));
    const items = await resolveSkus(trx, skus);
    const changes = skus.flatMap((sku, i) => [
      { item: items.get(sku) as StockItem, outletId: main.id, setTo: 5 + ((i * 13) % 30) },
      { item: items.get(sku) as StockItem, outletId: harbour.id, setTo: (i * 7) % 12 },
    ]);
    await applyStockChanges(trx, changes, { kind: 'initial', referenceType: 'demo_seed' });
  });
  return { seeded: true };
}
