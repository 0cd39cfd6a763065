/** Polls `check` until it answers something truthy, or fails after `ms`. Bounded: never hangs a test. */
export async function until<T>(check: () => Promise<T | undefined | null | false>, ms = 5000, what = "condition"): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
