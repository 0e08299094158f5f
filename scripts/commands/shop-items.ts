import type { Command } from 'commander';
import { productChangedSignal, productPushWorkflowId, DEFAULT_PUSH_TIMING } from '../../workflows/contracts/product-push';
import { shopItemActionWorkflowId, type ShopItemAction, type ShopItemActionInput } from '../../workflows/contracts/shop-item';
import type { productPush } from '../../workflows/product-push';
import type { shopItemAction } from '../../workflows/shop-item';
import { cliContext, findProduct } from './context';

/** Issue 6 point 6: what to do with a product the merchant trashed in the shop. */
export function registerShopItemCommands(program: Command): void {
  const run = async (action: ShopItemAction, skuOrId: string, connectionId: string, cmd: Command) => {
    const ctx = cliContext(cmd);
    const product = await findProduct(ctx, skuOrId);
    const client = await ctx.temporal();
    const input: ShopItemActionInput = { connectionId, productId: product.id, action };
    const result = await client.workflow.execute<typeof shopItemAction>('shopItemAction', {
      workflowId: `${shopItemActionWorkflowId(input)}/${Date.now()}`, taskQueue: ctx.opts.taskQueue, args: [input],
    });
    if (result.push) {
      await client.workflow.signalWithStart<typeof productPush, [{ reason: string }]>('productPush', {
        workflowId: productPushWorkflowId(product.id), taskQueue: ctx.opts.taskQueue,
        args: [{ productId: product.id, ...DEFAULT_PUSH_TIMING }], signal: productChangedSignal, signalArgs: [{ reason: 'restore_trashed' }],
      });
    }
    ctx.print(`${product.sku} in ${connectionId}: ${result.message}`, { productId: product.id, connectionId, ...result });
  };
  program
    .command('restore-trashed <skuOrId> <connectionId>')
    .description('untrash a product the merchant trashed in the shop, and push it')
    .action((skuOrId: string, connectionId: string, _o, cmd: Command) => run('restore', skuOrId, connectionId, cmd));
  program
    .command('unlink <skuOrId> <connectionId>')
    .description("forget the product's shop product (e.g. one trashed in the shop); a product still sold online is created again")
    .action((skuOrId: string, connectionId: string, _o, cmd: Command) => run('unlink', skuOrId, connectionId, cmd));
}
