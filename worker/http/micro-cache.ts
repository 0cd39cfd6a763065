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
  /** Keys by group (what comes before a key's first line break, e.g. the shop of `${shop}\n…`), so a group is forgotten without visiting every key. */
  readonly #groups = new Map<string, Set<string>>();

  constructor(readonly max: number) {}

  #delete(key: string): void {
    if (!this.#entries.delete(key)) return;
    const group = groupOf(key);
    const keys = this.#groups.get(group);
    keys?.delete(key);
    if (keys?.size === 0) this.#groups.delete(group);
  }

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
    this.#delete(key);
    return undefined;
  }

  set(key: string, value: V, ttlMs: number, now: number): void {
    if (ttlMs <= 0) return;
    this.#delete(key);
    this.#entries.set(key, { value, expires: now + ttlMs, ttl: ttlMs, refreshing: 0 });
    const group = groupOf(key);
    const keys = this.#groups.get(group);
    if (keys) keys.add(key);
    else this.#groups.set(group, new Set([key]));
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.max) break;
      this.#delete(oldest);
    }
  }

  /** Forgets every entry whose key starts with `prefix`; visits every key (see `deleteGroup`). */
  deletePrefix(prefix: string): void {
    for (const key of [...this.#entries.keys()]) if (key.startsWith(prefix)) this.#delete(key);
  }

  /**
   * Forgets every entry of one group (the keys `${group}\n…`, and the key `group` itself), visiting
   * only those: a shop's stock change forgets its answers however many other shops' the isolate holds.
   */
  deleteGroup(group: string): void {
    for (const key of [...(this.#groups.get(group) ?? [])]) this.#delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }
}

const groupOf = (key: string): string => {
  const end = key.indexOf("\n");
  return end === -1 ? key : key.slice(0, end);
};
