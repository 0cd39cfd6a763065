import { PAGE_ROWS, SHOP_TABLES } from "./move";
import { ApiError } from "../http/error";
import { forgetPool, poolObject, registryOf, registryRows } from "./plane";

type Pool = ReturnType<typeof poolObject>;

/** Copies the rows `where` selects from one database's `table` to another, a page at a time. */
async function copyRows(
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

/** Binds SHOP_TABLES' where clauses to one shop. */
const shopIds = (shop: string): [string] => [JSON.stringify([shop])];

async function copyShop(from: Pool, to: Pool, shop: string): Promise<void> {
  for (const [table, where] of SHOP_TABLES)
    await copyRows(
      (offset, limit) => from.page(table, where, shopIds(shop), offset, limit),
      (rows) => to.put(table, rows),
    );
}

/** Sends the registry's rows of `pool` to its object's copy. */
export async function refreshMirror(env: Env, pool: string): Promise<void> {
  await poolObject(env, pool).mirror(await registryRows(registryOf(env.DB), pool));
}

/** A shop moves only between pools whose data lives in their objects (409 otherwise: nothing is changed). */
export async function assertMovable(env: Env, from: string, to: string): Promise<void> {
  const onD1 = await registryOf(env.DB)
    .prepare("SELECT count(*) AS n FROM data_plane_pools WHERE pool_id IN (?1, ?2) AND state <> 'done'")
    .bind(from, to)
    .first<number>("n");
  if (onD1)
    throw new ApiError(409, "pool_not_migrated", "A pool whose data is still in D1 neither takes nor gives channels; run `npm run migrate-pools` first");
}

/**
 * Moves one shop's own rows (orders, customers, prices, settings, audit...: every pool table keyed
 * by the shop) from the pool object `from` to `to`, around `switchPool`, the registry change after
 * which the shop's requests reach `to`. Rows are copied before the switch; after it `from` refuses
 * the shop's writes (sealed) and the rows are copied again (whatever a request still in flight wrote
 * meanwhile), checked whole, and only then deleted in `from`. The shop's open sockets in `from` are
 * closed after the switch, and reconnect into `to`. Copies are upserts, so a move that failed half way can simply run again.
 */
export async function moveShop(env: Env, shop: string, from: string, to: string, switchPool: () => Promise<void>): Promise<void> {
  if (from === to) return switchPool();
  await assertMovable(env, from, to);
  const [source, target] = [poolObject(env, from), poolObject(env, to)];
  await target.unseal(shop);
  await copyShop(source, target, shop);
  await switchPool();
  forgetPool(shop);
  // Requests that found the old pool before the switch: their writes land before the seal (and are
  // copied next) or are refused after it (503, retried into the new pool). None is left behind.
  await source.seal(shop);
  // Its live sockets too: closed with "service restart" (1012), the widget and the extension reconnect, now into `to`.
  await source.closeSockets(shop);
  await copyShop(source, target, shop);
  for (const [table, where] of SHOP_TABLES) {
    const [had, has] = await Promise.all([source.count(table, where, shopIds(shop)), target.count(table, where, shopIds(shop))]);
    if (has < had) throw new Error(`moving ${shop} from ${from} to ${to}: ${table} has ${has} of ${had} rows; run the move again`);
  }
  for (const [table, where] of SHOP_TABLES) await source.remove(table, where, shopIds(shop));
  await Promise.all([refreshMirror(env, from), refreshMirror(env, to)]);
}
