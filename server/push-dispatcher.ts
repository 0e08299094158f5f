import type { Client } from '@temporalio/client';
import { eachLimited } from '../activities/each-limited';
import type { Logger } from 'pino';
import type { Db } from '../db/connection';
import { drainOutbox } from '../activities/pos/change-feed';
import { productChangedSignal, productPushWorkflowId, type ProductPushInput } from '../workflows/contracts/product-push';
import type { productPush } from '../workflows/product-push';

export interface PushTiming {
  settleMs: number;
  quietWindowMs: number;
  idleTimeoutMs: number;
}

/**
 * Turns committed POS changes into signal-with-start calls on product-push/<id>. The changes
 * wait in the push_outbox table, so a crash between commit and signal only delays a push.
 */
export class PushDispatcher {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  private failures = 0;
  signalsSent = 0;

  constructor(
    private readonly db: Db,
    private readonly client: Client,
    private readonly opts: { taskQueue: string; timing: PushTiming; log: Logger; pollMs?: number; concurrency?: number },
  ) {}

  start(): void {
    this.schedule(0);
  }

  /** Called after a commit: drain now rather than at the next poll. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.drain().finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.schedule(0);
        } else {
          this.schedule(this.failures > 0 ? Math.min(30_000, 500 * 2 ** this.failures) : this.opts.pollMs ?? 1000);
        }
      });
    }, ms);
  }

  private async drain(): Promise<void> {
    try {
      for (;;) {
        const n = await drainOutbox(this.db, 500, async ({ productIds, reasons }) => {
          await eachLimited(productIds, this.opts.concurrency ?? 32, (id) => this.signal(id, reasons.get(id) ?? 'change'));
        });
        if (n < 500) break;
      }
      this.failures = 0;
    } catch (err) {
      this.failures += 1;
      this.opts.log.warn({ err: String(err), attempt: this.failures }, 'could not signal product pushes; will retry');
    }
  }

  private async signal(productId: number, reason: string): Promise<void> {
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
}
