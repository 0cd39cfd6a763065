-- The data plane at scale (issue 17): each stock pool's data lives in its own Durable Object
-- (PoolStore); D1 keeps the registry (shops, channels, staff keys) and this table.
--
-- A pool with a row here in state 'd1' still keeps its data in D1 (it existed before this
-- migration): its requests run on D1 exactly as before until `npm run migrate-pools` moves it.
-- 'migrating': its rows are being copied into its object; its requests answer 503 for those seconds
-- (platforms and ERPs retry), so nothing is written to D1 behind the copy. 'done': its data lives in
-- its object (and its D1 rows were deleted). A pool without a row was created on the pool data plane.
-- table_index / copied: where the copy stands (the command is resumable from there).
CREATE TABLE IF NOT EXISTS data_plane_pools (
  pool_id TEXT PRIMARY KEY,
  state TEXT NOT NULL CHECK (state IN ('d1', 'migrating', 'done')),
  table_index INTEGER NOT NULL DEFAULT 0,
  copied INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;

INSERT OR IGNORE INTO data_plane_pools (pool_id, state, updated_at)
SELECT DISTINCT COALESCE(c.pool_id, s.id), 'd1', CAST(unixepoch('subsec') * 1000 AS INTEGER)
FROM shops s LEFT JOIN channels c ON c.shop_id = s.id;
