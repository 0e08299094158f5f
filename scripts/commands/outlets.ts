import type { Command } from 'commander';
import { cliContext, type CliContext } from './context';

interface Outlet { id: number; name: string; active: boolean }
interface Register { id: number; outlet_id: number; name: string; active: boolean }

/**
 * `possync outlets …` and `possync registers …` (issue 8 point 8): set up the shop floor through
 * the POS API. Nothing is deleted; what is no longer used is deactivated.
 */
export function registerOutletCommands(program: Command): void {
  const outlets = program.command('outlets')
    .description('outlets: list (default), create, rename, deactivate, activate; <connection> [--add|--remove <outlet>…]');
  outlets.command('list [connection]', { isDefault: true })
    .description("every outlet with its registers; with a connection: the outlets whose stock it sums (issue 11)")
    .option('--add <outlet...>', "add outlets (ids or names) to the connection's set")
    .option('--remove <outlet...>', "remove outlets from the connection's set")
    .action(async (connection: string | undefined, o: { add?: string[]; remove?: string[] }, cmd: Command) => {
    const ctx = cliContext(cmd);
    if (connection !== undefined) return connectionOutlets(ctx, connection, o);
    if (o.add || o.remove) throw new Error('--add and --remove need a connection: possync outlets <connection> --add <outlet>');
    const [os, rs] = await Promise.all([read<Outlet>(ctx, 'outlets'), read<Register>(ctx, 'registers')]);
    const lines = os.map((o) => {
      const regs = rs.filter((r) => r.outlet_id === o.id).map((r) => `${r.id} ${r.name}${r.active ? '' : ' (deactivated)'}`);
      return `${o.id}  ${o.name}${o.active ? '' : '  (deactivated)'}  registers: ${regs.join(', ') || 'none'}`;
    });
    ctx.print(lines.join('\n') || 'no outlets yet: possync outlets create <name>', { outlets: os });
    });
  outlets.command('create <name>').description('a new outlet').action(async (name: string, _o, cmd: Command) => {
    const ctx = cliContext(cmd);
    shown(ctx, 'created', await write<Outlet>(ctx, 'post', '/api/outlets', { name }));
  });
  changes(outlets, 'outlets', 'refused while the outlet has active registers or a connection uses it');

  const registers = program.command('registers').description('registers (tills): list (default), create, rename, move, deactivate, activate');
  registers.command('list', { isDefault: true }).action(async (_o, cmd: Command) => {
    const ctx = cliContext(cmd);
    const [os, rs] = await Promise.all([read<Outlet>(ctx, 'outlets'), read<Register>(ctx, 'registers')]);
    const outletName = (id: number) => os.find((o) => o.id === id)?.name ?? `outlet ${id}`;
    const lines = rs.map((r) => `${r.id}  ${r.name}  at ${outletName(r.outlet_id)} (${r.outlet_id})${r.active ? '' : '  (deactivated)'}`);
    ctx.print(lines.join('\n') || 'no registers yet: possync registers create <outlet> <name>', { registers: rs });
  });
  registers.command('create <outlet> <name>').description('a new register in an outlet (its id or its name)')
    .action(async (outlet: string, name: string, _o, cmd: Command) => {
      const ctx = cliContext(cmd);
      shown(ctx, 'created', await write<Register>(ctx, 'post', '/api/registers', { outlet_id: await outletId(ctx, outlet), name }));
    });
  registers.command('move <id> <outlet>').description("to another outlet (refused for an active connection's register)")
    .action(async (id: string, outlet: string, _o, cmd: Command) => {
      const ctx = cliContext(cmd);
      shown(ctx, 'moved', await write<Register>(ctx, 'patch', `/api/registers/${idArg(id)}`, { outlet_id: await outletId(ctx, outlet) }));
    });
  changes(registers, 'registers', 'it records no more sales (refused while an active connection uses it)');
}

/** rename, deactivate and activate: the same PATCH for an outlet and a register. */
function changes(parent: Command, what: 'outlets' | 'registers', deactivateNote: string): void {
  const patch = (id: string, body: object, done: string) => async (cmd: Command) => {
    const ctx = cliContext(cmd);
    shown(ctx, done, await write<Outlet | Register>(ctx, 'patch', `/api/${what}/${idArg(id)}`, body));
  };
  parent.command('rename <id> <name>').action((id: string, name: string, _o, cmd: Command) => patch(id, { name }, 'renamed')(cmd));
  parent.command('deactivate <id>').description(deactivateNote).action((id: string, _o, cmd: Command) => patch(id, { active: false }, 'deactivated')(cmd));
  parent.command('activate <id>').action((id: string, _o, cmd: Command) => patch(id, { active: true }, 'activated')(cmd));
}

async function read<T>(ctx: CliContext, what: 'outlets' | 'registers'): Promise<T[]> {
  const res = await ctx.api.get(`/api/${what}`);
  if (res.status !== 200) throw new Error(`the POS API answered ${res.status}: ${JSON.stringify(res.data)}`);
  return res.data[what];
}

async function write<T>(ctx: CliContext, method: 'post' | 'patch' | 'put', url: string, body: object): Promise<T> {
  const res = await ctx.api[method](url, body);
  if (res.status >= 200 && res.status < 300) return res.data;
  throw new Error(res.data?.message ?? `the POS API answered ${res.status}: ${JSON.stringify(res.data)}`);
}

function shown(ctx: CliContext, what: string, row: Outlet | Register): void {
  const at = 'outlet_id' in row ? ` at outlet ${row.outlet_id}` : '';
  ctx.print(`${what}: ${'outlet_id' in row ? 'register' : 'outlet'} ${row.id} "${row.name}"${at}${row.active ? '' : ' (deactivated)'}`, row);
}

function idArg(v: string): number {
  if (!/^\d+$/.test(v) || Number(v) <= 0) throw new Error(`"${v}" is not an id (a positive whole number); possync outlets / possync registers list them`);
  return Number(v);
}

/** An outlet by id, or by its exact name. */
async function outletId(ctx: CliContext, v: string): Promise<number> {
  if (/^\d+$/.test(v)) return idArg(v);
  const found = (await read<Outlet>(ctx, 'outlets')).find((o) => o.name === v);
  if (!found) throw new Error(`no outlet is named "${v}"; possync outlets lists them`);
  return found.id;
}

interface ConnectionOutlets { connection_id: string; outlet_ids: number[]; default: boolean; queued?: number }

/** `possync outlets <connection> [--add|--remove <outlet>…]`: shows or changes the outlets a connection sums. */
async function connectionOutlets(ctx: CliContext, connection: string, o: { add?: string[]; remove?: string[] }): Promise<void> {
  const url = `/api/connections/${encodeURIComponent(connection)}/outlets`;
  const res = await ctx.api.get(url);
  if (res.status !== 200) throw new Error(res.data?.message ?? `the POS API answered ${res.status}: ${JSON.stringify(res.data)}`);
  let set: ConnectionOutlets = res.data;
  if (o.add || o.remove) {
    const add = await Promise.all((o.add ?? []).map((v) => outletId(ctx, v)));
    const remove = await Promise.all((o.remove ?? []).map((v) => outletId(ctx, v)));
    const ids = [...new Set([...set.outlet_ids, ...add])].filter((id) => !remove.includes(id));
    set = await write<ConnectionOutlets>(ctx, 'put', url, { outlet_ids: ids });
  }
  const os = await read<Outlet>(ctx, 'outlets');
  const names = set.outlet_ids.map((id) => `${id} ${os.find((x) => x.id === id)?.name ?? ''}`.trim());
  const queued = set.queued === undefined ? '' : `; ${set.queued} linked product(s) queued for a push`;
  ctx.print(`${connection} sums the stock of: ${names.join(', ')}${set.default ? " (its register's outlet, the default)" : ''}${queued}`, set);
}
