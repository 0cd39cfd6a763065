/**
 * A small per-isolate memo with a time to live, for answers that are public and seconds-fresh.
 *
 * Worker isolates serve many requests each, so a hot product page's question is answered from
 * memory without a round trip to the Cache API or D1. When an entry expires, the first caller is
 * told to refresh it while the others keep the old answer for at most one more TTL: concurrent
 * visitors do not all fall through at once. Bounded: the oldest entries go first beyond `max`.
 *
 * @example
 * const recent = new MicroCache<string>(1_000);
 * recent.set("demo?TEE", json, 2_000, Date.now());
 * recent.get("demo?TEE", Date.now()); // → json, for two seconds
 */
export class MicroCache<V> {
  readonly #entries = new Map<string, { value: V; expires: number; ttl: number; refreshing: number }>();

  constructor(readonly max: number) {}

  /** The value while fresh; after expiry, undefined for the one caller that should refresh it. */
  get(key: string, now: number): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (now < entry.expires) return entry.value;
    if (now < entry.expires + entry.ttl) {
      if (now < entry.refreshing) return entry.value;
      entry.refreshing = now + entry.ttl;
      return undefined;
    }
    this.#entries.delete(key);
    return undefined;
  }

  set(key: string, value: V, ttlMs: number, now: number): void {
    if (ttlMs <= 0) return;
    this.#entries.delete(key);
    this.#entries.set(key, { value, expires: now + ttlMs, ttl: ttlMs, refreshing: 0 });
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.max) break;
      this.#entries.delete(oldest);
    }
  }

  /** Forgets every entry whose key starts with `prefix` (e.g. one shop's). */
  deletePrefix(prefix: string): void {
    for (const key of this.#entries.keys()) if (key.startsWith(prefix)) this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }
}
