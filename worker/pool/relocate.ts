import { PAGE_ROWS, SHOP_TABLES } from "./move";
import { onPoolPlane, poolObject, registryOf, registryRows } from "./plane";

type Pool = ReturnType<typeof poolObject>;

/** Copies the rows `where` selects from one database's `table` to another, a page at a time. */
export async function copyRows(
  read: (offset: number, limit: number) => Promise<Record<string, SqlStorageValue>[]>,
  write: (rows: Record<string, SqlStorageValue>[]) => Promise<unknown>,
): Promise<number> {
  let copied = 0;
  for (;;) {
    const rows = await read(copied, PAGE_ROWS);
    if (rows.length > 0) await write(rows);
    copied += rows.length;
    if (rows.length < PAGE_ROWS) return copied;
  }
}

async function copyShop(from: Pool, to: Pool, shop: string): Promise<void> {
  for (const [table, where] of SHOP_TABLES)
    await copyRows(
      (offset, limit) => from.page(table, where, [shop], offset, limit),
      (rows) => to.put(table, rows),
    );
}

/** Sends the registry's rows of `pool` to its object's copy. */
export async function refreshMirror(env: Env, pool: string): Promise<void> {
  await poolObject(env, pool).mirror(await registryRows(registryOf(env.DB), pool));
}

/**
 * Moves one shop's own rows (orders, customers, prices, settings, audit...: every pool table keyed
 * by the shop) from the pool object `from` to `to`, around `switchPool`, the registry change after
 * which the shop's requests reach `to`. Rows are copied before the switch, copied again after it
 * (whatever a request still in flight wrote into `from` meanwhile), checked whole, and only then
 * deleted in `from`. Copies are upserts, so a move that failed half way can simply run again.
 * On the D1 data plane there is one database: only the switch runs.
 */
export async function moveShop(env: Env, shop: string, from: string, to: string, switchPool: () => Promise<void>): Promise<void> {
  if (!onPoolPlane(env) || from === to) return switchPool();
  const [source, target] = [poolObject(env, from), poolObject(env, to)];
  await copyShop(source, target, shop);
  await switchPool();
  await copyShop(source, target, shop);
  for (const [table, where] of SHOP_TABLES) {
    const [had, has] = await Promise.all([source.count(table, where, [shop]), target.count(table, where, [shop])]);
    if (has < had) throw new Error(`moving ${shop} from ${from} to ${to}: ${table} has ${has} of ${had} rows; run the move again`);
  }
  for (const [table, where] of SHOP_TABLES) await source.remove(table, where, [shop]);
  await Promise.all([refreshMirror(env, from), refreshMirror(env, to)]);
}
