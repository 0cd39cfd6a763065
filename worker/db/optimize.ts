/**
 * Keeps the query planner's statistics current: `PRAGMA optimize` runs `ANALYZE` on the tables whose
 * size changed enough since their statistics were taken (bounded by SQLite's analysis limit, so it
 * stays cheap on a big database). Without statistics the planner guesses, and some lookups then read
 * a whole shop (an order lookup by number took 20 ms instead of 19 µs on 100,000 orders). Run after
 * migrations and by the 15-minute cron.
 */
export async function optimizeQueryPlanner(db: D1Database): Promise<number> {
  await db.prepare("PRAGMA optimize").run();
  return 1;
}
