-- Stock pools (issue 14): several storefronts (channels) selling one ERP stock.
--
-- A pool is named by its root shop: the shop whose replica (warehouses, products, aliases, stock,
-- incoming, stock history) and ERP secret and ERP connector are the pool's. A shop without a row
-- here is a pool of one, its own root, exactly as before this migration (no row is moved or
-- rewritten, so applying it changes nothing for existing shops). Reservations keep their channel
-- (shops' order refs may collide across platforms) and take from the pool's stock rows; the
-- pool's ledger is the held reservations of all its channels. Each shop keeps its own platform,
-- origins, prices, customers, orders and webhooks. When the replica moves into one Durable Object
-- per pool (issue 17), this table says which object a shop talks to.
CREATE TABLE IF NOT EXISTS channels (
  shop_id TEXT PRIMARY KEY,              -- the storefront
  pool_id TEXT NOT NULL,                 -- the root shop whose stock it sells (its own id: a pool of one with rules)
  warehouses TEXT,                       -- JSON array of warehouse codes it may sell from; NULL: every warehouse
  buffer_units INTEGER NOT NULL DEFAULT 0,   -- units of each SKU held back from this channel
  buffer_percent INTEGER NOT NULL DEFAULT 0, -- or a share of each SKU's on-hand stock (in its warehouses), rounded up
  cap INTEGER,                           -- the most this channel shows (and sells) of a SKU at a time; NULL: no cap
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS channels_pool ON channels (pool_id);
