/**
 * What a channel's allocation rules take from the stock its warehouses have available. The same
 * arithmetic runs in SQL inside the conditional reservation write (worker/orders/reserve.ts), so a
 * channel can never sell what it is not shown.
 */
export interface ChannelLimit {
  /** Units of each SKU held back from the channel. */
  bufferUnits: number;
  /** Or this share of the SKU's on-hand stock in the channel's warehouses, rounded up. */
  bufferPercent: number;
  /** The most the channel shows (and sells) of one SKU at a time; null: no cap. */
  cap: number | null;
}

/** Units held back from a channel, given the SKU's on-hand stock (each warehouse counted from zero up) in its warehouses. */
export const heldBack = (limit: ChannelLimit, onHand: number): number =>
  Math.max(limit.bufferUnits, Math.ceil((Math.max(0, onHand) * limit.bufferPercent) / 100));

/**
 * What a channel may sell of one SKU: what its warehouses have available, less what is held back,
 * at most its cap, never below zero.
 *
 * @example
 * channelAvailable(12, 20, { bufferUnits: 0, bufferPercent: 25, cap: null }) // → 7 (25 % of 20 on hand held back)
 */
export const channelAvailable = (available: number, onHand: number, limit: ChannelLimit): number =>
  Math.min(limit.cap ?? Number.POSITIVE_INFINITY, Math.max(0, available - heldBack(limit, onHand)));

/**
 * Spreads a channel's total over its warehouses, the most available first, so the per-warehouse
 * figures a channel shows add up to its total. The order of the list is kept.
 */
export function spreadOver<T extends { available: number }>(warehouses: readonly T[], total: number): T[] {
  let left = total;
  const share = new Map<T, number>();
  for (const w of [...warehouses].sort((a, b) => b.available - a.available)) {
    const take = Math.min(left, w.available);
    share.set(w, take);
    left -= take;
  }
  return warehouses.map((w) => ({ ...w, available: share.get(w) ?? 0 }));
}
