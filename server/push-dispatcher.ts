import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { eachLimited } from '../activities/each-limited';
import { BATCHED_REASONS, queueBatchPushes, takeBatchPushWakeups } from '../activities/pos/batch-push-queue';
import { drainOutbox, type OutboxBatch } from '../activities/pos/change-feed';
import type { Db } from '../db/connection';
import { batchPushWorkflowId, productsQueuedSignal, type BatchPushInput } from '../workflows/contracts/batch-push';
import { productChangedSignal, productPushWorkflowId, type ProductPushInput } from '../workflows/contracts/product-push';
import type { batchPush } from '../workflows/batch-push';
import type { productPush } from '../workflows/product-push';
import { queueEcomChanges } from '../activities/ecom/change-routing';
import { takeEcomWriterWakeups } from '../activities/ecom/write-queue';
import { ecomRowsQueuedSignal, ecomWriterWorkflowId, type EcomWriterInput } from '../workflows/contracts/ecom-writer';
import type { ecomWriter } from '../workflows/ecom-writer';

export interface PushTiming {
  settleMs: number;
  quietWindowMs: number;
  idleTimeoutMs: number;
}

/** Drains at most this often when kicked: a storm of commits costs a few drains (and signals) per second. */
const MIN_DRAIN_INTERVAL_MS = 100;

/**
 * Turns committed POS changes into pushes. The changes wait in the push_outbox table, so a
 * crash between commit and signal only delays a push. Stock movements of linked products go
 * to their connection's batched push (batch-push/<connectionId>); everything else, and any
 * product a connection does not have yet, to the per-product saga (product-push/<id>). For a
 * Lightspeed eCom connection every change is queued (ecom_write_queue, in the same transaction)
 * for its writer (ecom-writer/<connectionId>), stock movements as stock-only writes.
 */
export class PushDispatcher {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  private failures = 0;
  private lastDrainAt = 0;
  /** Connections with committed queue rows whose workflow still needs a signal. */
  private readonly batchesToSignal = new Set<string>();
  /** eCom connections with committed write-queue rows whose writer still needs a signal. */
  private readonly ecomWritersToSignal = new Set<string>();
  private recovered = false;
  signalsSent = 0;

  constructor(
    private readonly db: Db,
    private readonly client: Client,
    private readonly opts: { taskQueue: string; timing: PushTiming; log: Logger; pollMs?: number; concurrency?: number },
  ) {}

  start(): void {
    this.schedule(0);
  }

  /** Called after a commit: drain soon rather than at the next poll. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(this.untilNextDrain());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private untilNextDrain(): number {
    return Math.max(0, this.lastDrainAt + MIN_DRAIN_INTERVAL_MS - Date.now());
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.lastDrainAt = Date.now();
      this.running = this.drain().finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.schedule(this.untilNextDrain());
        } else {
          this.schedule(this.failures > 0 ? Math.min(30_000, 500 * 2 ** this.failures) : this.opts.pollMs ?? 1000);
        }
      });
    }, ms);
  }

  private async drain(): Promise<void> {
    try {
      if (!this.recovered) {
        // Rows queued before a crash or restart may never have been signalled.
        const rows: { connection_id: string }[] = await this.db('batch_push_queue').distinct('connection_id');
        rows.forEach((r) => this.batchesToSignal.add(r.connection_id));
        const ecomRows: { connection_id: string }[] = await this.db('ecom_write_queue').distinct('connection_id');
        ecomRows.forEach((r) => this.ecomWritersToSignal.add(r.connection_id));
        this.recovered = true;
      }
      // Rows queued outside the outbox (a changed outlet set, a drift repair) are committed already.
      (await takeBatchPushWakeups(this.db)).forEach((c) => this.batchesToSignal.add(c));
      for (;;) {
        const queuedFor = new Set<string>();
        const n = await drainOutbox(this.db, 500, (batch, trx) => this.route(batch, trx, queuedFor));
        // Signalled only now that the rows are committed, so the workflow finds them.
        queuedFor.forEach((c) => this.batchesToSignal.add(c));
        await this.signalQueuedBatches();
        // Wake-ups of the rows queued by this drain and by anything else (catalog sync, stock aggregation).
        (await takeEcomWriterWakeups(this.db)).forEach((c) => this.ecomWritersToSignal.add(c));
        await this.signalEcomWriters();
        if (n < 500) break;
      }
      this.failures = 0;
    } catch (err) {
      this.failures += 1;
      this.opts.log.warn({ err: String(err), attempt: this.failures }, 'could not signal product pushes; will retry');
    }
  }

  private async route({ productIds, reasons }: OutboxBatch, trx: Knex.Transaction, connections: Set<string>): Promise<void> {
    const toSaga = new Set(productIds.filter((id) => !BATCHED_REASONS.has(reasons.get(id) ?? '')));
    const batchedByReason = new Map<string, number[]>();
    for (const id of productIds) {
      const reason = reasons.get(id) ?? '';
      if (!BATCHED_REASONS.has(reason)) continue;
      const ids = batchedByReason.get(reason) ?? [];
      ids.push(id);
      batchedByReason.set(reason, ids);
    }
    for (const [reason, ids] of batchedByReason) {
      const queued = await queueBatchPushes(trx, ids, reason);
      queued.connections.forEach((c) => connections.add(c));
      queued.needSaga.forEach((id) => toSaga.add(id));
    }
    // The saga and the batched push take WooCommerce connections only; eCom's writer takes these.
    await queueEcomChanges(trx, productIds, reasons);
    await eachLimited([...toSaga], this.opts.concurrency ?? 32, (id) => this.signalSaga(id, reasons.get(id) ?? 'change'));
  }

  private async signalEcomWriters(): Promise<void> {
    for (const connectionId of [...this.ecomWritersToSignal]) {
      const input: EcomWriterInput = { connectionId, settleMs: this.opts.timing.settleMs, quietWindowMs: this.opts.timing.quietWindowMs, idleTimeoutMs: this.opts.timing.idleTimeoutMs };
      await this.client.workflow.signalWithStart<typeof ecomWriter, []>('ecomWriter', {
        workflowId: ecomWriterWorkflowId(connectionId),
        taskQueue: this.opts.taskQueue,
        args: [input],
        signal: ecomRowsQueuedSignal,
      });
      this.signalsSent += 1;
      this.ecomWritersToSignal.delete(connectionId);
    }
  }

  private async signalQueuedBatches(): Promise<void> {
    for (const connectionId of [...this.batchesToSignal]) {
      await this.signalBatch(connectionId);
      this.batchesToSignal.delete(connectionId);
    }
  }

  private async signalSaga(productId: number, reason: string): Promise<void> {
    const input: ProductPushInput = { productId, ...this.opts.timing };
    await this.client.workflow.signalWithStart<typeof productPush, [{ reason: string }]>('productPush', {
      workflowId: productPushWorkflowId(productId),
      taskQueue: this.opts.taskQueue,
      args: [input],
      signal: productChangedSignal,
      signalArgs: [{ reason }],
    });
    this.signalsSent += 1;
  }

  private async signalBatch(connectionId: string): Promise<void> {
    const input: BatchPushInput = { connectionId, ...this.opts.timing };
    await this.client.workflow.signalWithStart<typeof batchPush, []>('batchPush', {
      workflowId: batchPushWorkflowId(connectionId),
      taskQueue: this.opts.taskQueue,
      args: [input],
      signal: productsQueuedSignal,
    });
    this.signalsSent += 1;
  }
}
