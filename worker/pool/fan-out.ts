import type { AvailabilityItem, StaffLiveMessage } from "../contract";
import { loadAvailability } from "../db/availability";
import { loadChannelsBeside } from "../db/channels";
import { kitsContaining } from "../db/product-sales";

/**
 * A stock change's fan-out to live sockets (called by ../hub/publish.ts): on the pool data plane it
 * runs inside the pool's object (`PoolStore.fanOut`, `PoolStore.fanOutPool`) on the object's own
 * SQLite; for a pool still on D1, from the worker.
 */

/** SKUs per staff notice: a 10,000-row push becomes a few frames, not one huge one. */
export const STAFF_CHUNK = 500;

/**
 * Inside the pool's object: every channel selling from the pool as `shop` does, read from the
 * object's copy of the registry rows, each told by `fanOut`; answers the channels told, or undefined
 * when the copy holds none (never written: the worker then reads D1 and calls per channel).
 */
export async function fanOutPool(sockets: FanOutSockets, db: D1Database, shop: string, skus: readonly string[]): Promise<string[] | undefined> {
  const channels = await loadChannelsBeside(db, shop);
  if (channels.length === 0) return undefined;
  for (const channel of channels) await fanOut(sockets, db, channel, skus);
  return channels.map((c) => c.shop);
}

/** A channel as its fan-out needs it (plain data: it crosses into the pool's object). */
export interface FanOutChannel {
  shop: string;
  pool: string;
  lowStockThreshold: number;
}

/** The sockets a fan-out talks to: the pool object's own (inside it), or its stub (from the worker). */
export interface FanOutSockets {
  audience(shop: string): { widgets: number; staff: number } | Promise<{ widgets: number; staff: number }>;
  notifyStaff(shop: string, message: StaffLiveMessage): unknown;
  publish(shop: string, items: AvailabilityItem[]): unknown;
}

/** The fan-out itself, wherever it runs: `db` holds the pool's data, `sockets` its live sockets. */
export async function fanOut(sockets: FanOutSockets, db: D1Database, channel: FanOutChannel, skus: readonly string[]): Promise<void> {
  // Most pushes happen while nobody watches: skip the reads then.
  const { widgets, staff } = await sockets.audience(channel.shop);
  if (staff > 0)
    for (let i = 0; i < skus.length; i += STAFF_CHUNK) await sockets.notifyStaff(channel.shop, { type: "stock", skus: skus.slice(i, i + STAFF_CHUNK) });
  if (widgets === 0) return;
  // Issue 12: a kit's availability follows its components'.
  const all = [...skus, ...(await kitsContaining(db, channel.shop, skus))];
  for (let i = 0; i < all.length; i += 100) {
    const items = await loadAvailability(db, channel.shop, all.slice(i, i + 100), channel.lowStockThreshold, new Date());
    if (items.length > 0) await sockets.publish(channel.shop, items);
  }
}
