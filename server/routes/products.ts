import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Knex } from 'knex';
import type { Db } from '../../db/connection';
import { saveProduct } from '../../activities/pos/catalog';
import { markProductsChanged } from '../../activities/pos/change-feed';
import { applyStockChanges, lockCatalogRows, resolveSkus, type StockItem } from '../../activities/pos/stock';
import { checkProductRules, type ProductInput } from '../../domain/product-input';
import { decodeCsvBody } from '../csv-decode';
import { parseProductCsv } from '../csv-import';
import { productDocument } from '../product-document';
import { BadRequestError, parseWith } from '../errors';
import { runOperation, type OperationResponse } from '../idempotency';
import { DB_INT_MAX, productDocumentSchema, productListQuery } from '../schemas';

export function registerProductRoutes(app: FastifyInstance, deps: { db: Db; afterCommit: () => void }): void {
  const { db } = deps;

  /**
   * Save a product: the whole document, created or replaced by SKU (M-A2: "edit product"). A
   * document read from GET /api/products/:id can be posted back; a save that changes nothing
   * bumps no version and pushes nothing.
   */
  app.post('/api/products', async (req, reply) => {
    const { id, version: _v, stock: _s, created_at: _c, updated_at: _u, inventory: _i, links: _l, ...doc } = parseWith(productDocumentSchema, req.body);
    const input = doc as ProductInput;
    const problems = checkProductRules(input);
    if (problems.length > 0) throw new BadRequestError(problems);
    const res = await runOperation(db, req, req.body, async (trx) => {
      if (id !== undefined) await assertIdHoldsSku(trx, id, input.sku);
      const saved = await saveProduct(trx, input);
      if (saved.changed) await markProductsChanged(trx, [saved.productId], 'product_saved');
      return { status: saved.created ? 201 : 200, body: { id: saved.productId, created: saved.created, changed: saved.changed } };
    });
    return send(res, reply);
  });

  /** Import a product CSV (text/csv body): every row is checked first; one bad row and nothing is written. */
  app.post('/api/products/import', async (req, reply) => {
    if (!Buffer.isBuffer(req.body)) throw new BadRequestError([{ field: 'body', message: 'send the CSV as the body with Content-Type: text/csv' }]);
    const text = decodeCsvBody(req.body, req.headers['content-type']);
    const outlets: { id: number; name: string }[] = await db('outlets').select('id', 'name');
    const parsed = parseProductCsv(text, outlets.map((o) => o.name));
    if (parsed.problems.length > 0) throw new BadRequestError(parsed.problems.slice(0, 200));
    const res = await runOperation(db, req, text, async (trx) => {
      await lockCatalogRows(trx, parsed.products.flatMap(({ input }) => [input.sku, ...input.variants.map((v) => v.sku)]));
      const ids: number[] = [];
      const changed = new Set<number>();
      let created = 0;
      for (const { input, line } of parsed.products) {
        try {
          const saved = await saveProduct(trx, input);
          ids.push(saved.productId);
          if (saved.changed) changed.add(saved.productId);
          if (saved.created) created += 1;
        } catch (err) {
          if (err instanceof Error && 'field' in err) throw new BadRequestError([{ line, field: String((err as { field: string }).field), message: err.message }]);
          throw err;
        }
      }
      if (parsed.stock.length > 0) {
        const items = await resolveSkus(trx, parsed.stock.map((l) => l.sku));
        const changes = parsed.stock.map((l) => {
          const item = items.get(l.sku);
          if (!item || item === 'variable') {
            throw new BadRequestError([{ line: l.line, column: `stock:${l.outletName}`, field: `stock:${l.outletName}`, message: 'a variable product holds no stock itself; give stock on its variant rows' }]);
          }
          return { item: item as StockItem, outletId: outlets.find((o) => o.name === l.outletName)!.id, setTo: l.quantity };
        });
        (await applyStockChanges(trx, changes, { kind: 'count', referenceType: 'csv_import' })).productIds.forEach((id) => changed.add(id));
      }
      // Rows that change nothing (the same CSV imported again) bump no version and push nothing.
      await markProductsChanged(trx, [...changed], 'csv_import');
      return { status: 201, body: { products: ids.length, created, updated: ids.length - created, unchanged: ids.length - changed.size, stock_levels: parsed.stock.length } };
    });
    return send(res, reply);
  });

  app.get<{ Params: { id: string } }>('/api/products/:id', async (req, reply) => {
    const id = productIdParam(req.params.id);
    if (id === undefined) return reply.status(404).send({ error: 'not_found', message: `product ${req.params.id} does not exist (ids are at most ${DB_INT_MAX})` });
    const doc = await productDocument(db, id);
    if (!doc) return reply.status(404).send({ error: 'not_found', message: `product ${id} does not exist` });
    return doc;
  });

  /**
   * Archive a product (the POS's delete): archived and inactive, so every shop removes it (eCom
   * deletes it, WooCommerce takes it offline like an inactive product) and none creates it again.
   * Archiving an archived product changes nothing.
   */
  app.post<{ Params: { id: string } }>('/api/products/:id/archive', async (req, reply) => {
    const id = productIdParam(req.params.id);
    const body = req.body;
    if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body) || Object.keys(body).length > 0)) {
      throw new BadRequestError([{ field: 'body', message: 'archive takes no fields: send {} or no body' }]);
    }
    if (id === undefined || !(await db('products').where({ id }).first('id'))) {
      return reply.status(404).send({ error: 'not_found', message: `product ${req.params.id} does not exist` });
    }
    const res = await runOperation(db, req, { archive: id }, async (trx) => {
      const p = await trx('products').where({ id }).forUpdate().first('sku', 'archived');
      if (p.archived) return { status: 200, body: { id, sku: p.sku, archived: true, changed: false } };
      await trx('products').where({ id }).update({ archived: true, active: false });
      await markProductsChanged(trx, [id], 'product_archived');
      return { status: 200, body: { id, sku: p.sku, archived: true, changed: true } };
    });
    return send(res, reply);
  });

  app.get('/api/products', async (req) => {
    const query = parseWith(productListQuery, req.query);
    const q = db('products').select('id', 'sku', 'type', 'name', 'retail_price', 'active', 'channels', 'version').orderBy('id').limit(query.limit);
    if (query.sku) q.where({ sku: query.sku });
    if (query.after_id !== undefined) q.where('id', '>', query.after_id);
    return { products: await q };
  });

  /** A positive product id from the URL (400 otherwise); undefined past the database's integer range, where no product can be. */
  function productIdParam(raw: string): number | undefined {
    const id = Number(raw);
    if (!Number.isInteger(id) || id <= 0) throw new BadRequestError([{ field: 'id', message: 'must be a positive id' }]);
    return id > DB_INT_MAX ? undefined : id;
  }

  /** A document that carries an id is an edit of that product: saving it under another SKU would create a second product. */
  async function assertIdHoldsSku(trx: Knex.Transaction, id: number, sku: string): Promise<void> {
    const product = await trx('products').where({ id }).first('sku');
    if (!product) throw new BadRequestError([{ field: 'id', message: `product ${id} does not exist; leave id out to create a product` }]);
    if (product.sku !== sku) {
      throw new BadRequestError([{ field: 'sku', message: `product ${id} has SKU "${product.sku}": a product is saved by its SKU, which cannot change; leave id out to create a new product with SKU "${sku}"` }]);
    }
  }

  function send(res: OperationResponse & { replayed: boolean }, reply: FastifyReply) {
    if (res.replayed) void reply.header('idempotent-replayed', 'true');
    else deps.afterCommit();
    return reply.status(res.status).send(res.body);
  }
}
