import {
  ActivityFailure, ApplicationFailure, CancelledFailure, ChildWorkflowFailure, TerminatedFailure, TimeoutFailure,
  WorkflowFailedError, WorkflowUpdateFailedError,
} from '@temporalio/client';

/** One link of an error's cause chain, outermost first. */
export interface CauseLink {
  kind: string;
  message: string;
  /** ApplicationFailure's type, e.g. `WooApiError.not_found`. */
  type?: string;
  /** The activity or child workflow that failed. */
  where?: string;
}

const MAX_DEPTH = 10;

export function causeChain(err: unknown): CauseLink[] {
  const chain: CauseLink[] = [];
  let e: unknown = err;
  while (e !== undefined && e !== null && chain.length < MAX_DEPTH) {
    if (!(e instanceof Error)) {
      chain.push({ kind: typeof e, message: String(e) });
      break;
    }
    const link: CauseLink = { kind: e.constructor.name || e.name, message: e.message };
    if (e instanceof ApplicationFailure && e.type) link.type = e.type;
    if (e instanceof ActivityFailure) link.where = `activity ${e.activityType}`;
    if (e instanceof ChildWorkflowFailure) link.where = `child workflow ${e.workflowType} ${e.execution.workflowId}`;
    if (e instanceof TimeoutFailure) link.type = String(e.timeoutType);
    chain.push(link);
    e = (e as { cause?: unknown }).cause;
  }
  return chain;
}

/** True when the error is, or wraps, a workflow (or update) that failed. */
export function isWorkflowFailure(err: unknown): boolean {
  let e: unknown = err;
  for (let i = 0; i < MAX_DEPTH && e; i += 1) {
    if (e instanceof WorkflowFailedError || e instanceof WorkflowUpdateFailedError) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

function rootOf(err: unknown): unknown {
  let e: unknown = err;
  for (let i = 0; i < MAX_DEPTH; i += 1) {
    const next = (e as { cause?: unknown } | undefined)?.cause;
    if (next === undefined || next === null) return e;
    e = next;
  }
  return e;
}

/** What the operator can do about the root cause of a failed workflow. */
export function adviceFor(err: unknown): string {
  const root = rootOf(err);
  if (root instanceof TimeoutFailure) {
    return 'it ran out of time: is a worker running on the task queue (`npm start`, or `npm run worker`)? Then run the command again';
  }
  if (root instanceof TerminatedFailure) return 'someone terminated the workflow (Temporal Web UI or CLI); run the command again if that was not meant';
  if (root instanceof CancelledFailure) return 'the workflow was cancelled; run the command again if that was not meant';
  const type = root instanceof ApplicationFailure ? root.type ?? '' : '';
  const woo = /^WooApiError\.(\w+)$/.exec(type)?.[1];
  switch (woo) {
    case 'not_found':
      return 'the shop has no such item (HTTP 404): check the id you gave (e.g. the order or product number in the shop\'s admin); an item deleted in the shop cannot be read back';
    case 'auth':
      return 'the shop refuses the connection\'s key and secret (or they lack read/write permission): fix them (WOO_CONSUMER_KEY, WOO_CONSUMER_SECRET), then `possync connections unblock <connection>`';
    case 'server': case 'timeout': case 'network': case 'rate_limited':
      return 'the shop is down, overloaded or unreachable: check that its URL answers, then run the command again';
    case 'redirect':
      return 'the store URL redirects: set WOO_URL to the final address (https:// included)';
    case 'validation': case 'duplicate_sku': case 'conflict': case 'gone': case 'too_large':
      return 'the shop refused what was sent: correct the data in the POS (or the shop), then run the command again; `possync failures` lists what else is failing';
    default:
  }
  if (type === 'UnknownConnection') return 'no such connection: `curl <api>/api/connections` lists them';
  if (type === 'UnknownProduct') return 'no such product in the POS: check the SKU or id';
  return 'the workflow\'s history in the Temporal Web UI (search its id) shows every step; `possync failures` lists failing pushes';
}

/**
 * The text the CLI prints for any error: for a failed workflow, its cause chain down to the
 * root (WorkflowFailedError -> ActivityFailure -> ApplicationFailure with its type) and what to
 * do, instead of the bare "Workflow execution failed".
 */
export function describeCliError(err: unknown): string {
  if (!isWorkflowFailure(err)) return `possync: ${err instanceof Error ? err.message : String(err)}`;
  const chain = causeChain(err);
  const lines = [`possync: ${chain[0]!.message}`, 'cause:'];
  chain.slice(1).forEach((l, i) => {
    const detail = [l.where, l.type ? `type ${l.type}` : undefined].filter(Boolean).join(', ');
    lines.push(`${'  '.repeat(i + 1)}${l.kind}${detail ? ` (${detail})` : ''}: ${l.message}`);
  });
  lines.push(`what to do: ${adviceFor(err)}`);
  return lines.join('\n');
}
