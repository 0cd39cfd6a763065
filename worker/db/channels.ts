import { z } from "zod";
import { type ChannelRules, type ChannelView, Platform } from "../contract";
import type { ChannelLimit } from "../domain/channel-limit";

/**
 * Stock pools and channel rules (migration 0012). A shop without a `channels` row is a pool of one
 * with no rules, exactly as before pools existed.
 */

/** SQL: the pool of the shop whose id is the parameter `param` (e.g. "?1"). */
export const poolOf = (param: string): string => `COALESCE((SELECT pool_id FROM channels WHERE shop_id = ${param}), ${param})`;

/** What the reservation write and the availability reads need to know about the selling channel. */
export interface Channel {
  shop: string;
  pool: string;
  /** Warehouse codes it may sell from; undefined: every warehouse. */
  warehouses: string[] | undefined;
  /** Its buffer and cap; undefined when it has none (then it sells exactly as a shop without rules). */
  limit: ChannelLimit | undefined;
}

const Codes = z.array(z.string());
const Row = z.object({
  shop_id: z.string(),
  pool_id: z.string(),
  warehouses: z.string().nullable(),
  buffer_units: z.number(),
  buffer_percent: z.number(),
  cap: z.number().nullable(),
});
type Row = z.infer<typeof Row>;

/** A channel's buffer and cap from its stored columns (null when it has no row); undefined when it has neither. */
export const limitOf = (r: { buffer_units: number | null; buffer_percent: number | null; cap: number | null }): ChannelLimit | undefined =>
  (r.buffer_units ?? 0) > 0 || (r.buffer_percent ?? 0) > 0 || r.cap !== null
    ? { bufferUnits: r.buffer_units ?? 0, bufferPercent: r.buffer_percent ?? 0, cap: r.cap }
    : undefined;

const warehousesOf = (json: string | null): string[] | undefined => (json === null ? undefined : Codes.parse(JSON.parse(json)));

/** The statement reading a shop's channel row, for a caller that batches it with other reads (see `channelFrom`). */
export const channelStatement = (db: D1Database, shop: string): D1PreparedStatement =>
  db.prepare("SELECT shop_id, pool_id, warehouses, buffer_units, buffer_percent, cap FROM channels WHERE shop_id = ?").bind(shop);

/** The channel a shop sells as, from its channel row (none: a pool of one without rules). */
export function channelFrom(shop: string, raw: unknown): Channel {
  if (raw === undefined || raw === null) return { shop, pool: shop, warehouses: undefined, limit: undefined };
  const r = Row.parse(raw);
  return { shop, pool: r.pool_id, warehouses: warehousesOf(r.warehouses), limit: limitOf(r) };
}

/** The channel a shop sells as: its pool and rules. */
export async function loadChannel(db: D1Database, shop: string): Promise<Channel> {
  return channelFrom(shop, await channelStatement(db, shop).first());
}

/** Rules as the API shows them. */
export function rulesOf(r: Pick<Row, "warehouses" | "buffer_units" | "buffer_percent" | "cap"> | undefined): ChannelRules {
  if (!r) return { warehouses: null, buffer: null, cap: null };
  return {
    warehouses: warehousesOf(r.warehouses) ?? null,
    buffer: r.buffer_percent > 0 ? { percent: r.buffer_percent } : r.buffer_units > 0 ? { units: r.buffer_units } : null,
    cap: r.cap,
  };
}

const PoolRow = z.object({
  id: z.string(),
  platform: Platform,
  low_stock_threshold: z.number(),
  pool_id: z.string().nullable(),
  warehouses: z.string().nullable(),
  buffer_units: z.number().nullable(),
  buffer_percent: z.number().nullable(),
  cap: z.number().nullable(),
  updated_at: z.number().nullable(),
});

export interface PoolChannel extends ChannelView {
  lowStockThreshold: number;
  /** When its rules last changed (undefined: never). */
  rulesVersion: number | undefined;
}

/** SQL: the ids of every shop selling from the pool whose id is `pool` (an SQL expression). */
export const poolMembers = (pool: string): string => `(SELECT ${pool} AS id UNION SELECT shop_id FROM channels WHERE pool_id = ${pool})`;

const channelsSql = (pool: string) => `
  SELECT s.id, s.platform, s.low_stock_threshold, c.pool_id, c.warehouses, c.buffer_units, c.buffer_percent, c.cap, c.updated_at
  FROM shops s LEFT JOIN channels c ON c.shop_id = s.id
  WHERE (s.id = ${pool} AND (c.pool_id IS NULL OR c.pool_id = ${pool})) OR s.id IN (SELECT shop_id FROM channels WHERE pool_id = ${pool})
  ORDER BY s.id <> ${pool}, s.id`;

async function channelRows(stmt: D1PreparedStatement): Promise<PoolChannel[]> {
  const { results } = await stmt.all();
  return results.map((raw) => {
    const r = PoolRow.parse(raw);
    const rules =
      r.buffer_units === null
        ? rulesOf(undefined)
        : rulesOf({ warehouses: r.warehouses, buffer_units: r.buffer_units, buffer_percent: r.buffer_percent ?? 0, cap: r.cap });
    return {
      shop: r.id,
      pool: r.pool_id ?? r.id,
      platform: r.platform,
      lowStockThreshold: r.low_stock_threshold,
      rules,
      rulesVersion: r.updated_at ?? undefined,
    };
  });
}

/** Every channel selling from `pool` (the root first, then by id); empty when `pool` is no pool's root. */
export const loadPoolChannels = (db: D1Database, pool: string): Promise<PoolChannel[]> => channelRows(db.prepare(channelsSql("?1")).bind(pool));

/** Every channel selling from the same pool as `shop`, itself included. */
export const loadChannelsBeside = (db: D1Database, shop: string): Promise<PoolChannel[]> =>
  channelRows(db.prepare(channelsSql(`(${poolOf("?1")})`)).bind(shop));

/** Sets a channel's pool and rules, as a statement for the caller's batch. `updated_at` always grows: it versions cached answers. */
export function saveChannel(db: D1Database, shop: string, pool: string, rules: ChannelRules, now: number): D1PreparedStatement {
  const buffer = rules.buffer;
  return db
    .prepare(
      `INSERT INTO channels (shop_id, pool_id, warehouses, buffer_units, buffer_percent, cap, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (shop_id) DO UPDATE SET pool_id = excluded.pool_id, warehouses = excluded.warehouses, buffer_units = excluded.buffer_units,
         buffer_percent = excluded.buffer_percent, cap = excluded.cap,
         updated_at = max(excluded.updated_at, channels.updated_at + 1)`,
    )
    .bind(
      shop,
      pool,
      rules.warehouses === null ? null : JSON.stringify(rules.warehouses),
      buffer && "units" in buffer ? buffer.units : 0,
      buffer && "percent" in buffer ? buffer.percent : 0,
      rules.cap,
      now,
    );
}

/** How much a shop's own replica holds, and how many units its orders hold: a shop joins a pool only when both allow it. */
export async function replicaSize(db: D1Database, shop: string): Promise<{ rows: number; held: number }> {
  const r = z.object({ rows: z.number(), held: z.number() }).parse(
    await db
      .prepare(
        `SELECT (SELECT count(*) FROM warehouses WHERE shop_id = ?1) + (SELECT count(*) FROM products WHERE shop_id = ?1)
           + (SELECT count(*) FROM stock WHERE shop_id = ?1) AS rows,
         (SELECT count(*) FROM reservations WHERE shop_id = ?1 AND state = 'held') AS held`,
      )
      .bind(shop)
      .first(),
  );
  return r;
}

/** Deletes a shop's own replica (never its prices, customers or orders), as statements for the caller's batch. */
export const dropReplica = (db: D1Database, shop: string): D1PreparedStatement[] =>
  ["stock_history", "stock", "sku_aliases", "products", "warehouses"].map((table) => db.prepare(`DELETE FROM ${table} WHERE shop_id = ?`).bind(shop));
