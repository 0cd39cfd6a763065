import { z } from "zod";
import { Platform } from "./admin";
import { ShopId } from "./common";

/**
 * How one channel (a storefront) sells from its stock pool. Rules only ever restrict the channel
 * they belong to: which warehouses it may sell from, what is held back from it, the most it shows.
 */
export const ChannelRules = z.strictObject({
  /** Warehouse codes this channel may sell from; null: every warehouse of the pool. */
  warehouses: z.array(z.string().min(1).max(64)).min(1).max(100).nullable().default(null),
  /** Held back from this channel per SKU: a number of units, or a percentage of the on-hand stock in its warehouses (rounded up). */
  buffer: z
    .union([z.strictObject({ units: z.number().int().min(0).max(1_000_000_000) }), z.strictObject({ percent: z.number().int().min(0).max(100) })])
    .nullable()
    .default(null),
  /** The most this channel shows and sells of one SKU at a time; null: no cap. */
  cap: z.number().int().min(0).max(1_000_000_000).nullable().default(null),
});
export type ChannelRules = z.infer<typeof ChannelRules>;

export const ChannelView = z.object({ shop: ShopId, pool: ShopId, platform: Platform, rules: ChannelRules });
export type ChannelView = z.infer<typeof ChannelView>;

/** A stock pool: its root shop's id, and every channel selling from it (the root first). */
export const PoolView = z.object({ pool: ShopId, channels: z.array(ChannelView) });
export type PoolView = z.infer<typeof PoolView>;

/**
 * A shop joins a pool. Its own replica must be empty (no warehouses, products or stock), unless
 * `dropReplica` says to delete it: from then on the channel sells the pool's stock only.
 */
export const JoinPool = z.strictObject({ dropReplica: z.boolean().default(false), rules: ChannelRules.optional() });
export type JoinPool = z.infer<typeof JoinPool>;

export const PoolChannelParam = z.object({ pool: ShopId, shop: ShopId });
export const PoolParam = z.object({ pool: ShopId });
