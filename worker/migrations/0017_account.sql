-- B2B buyer self-service (issue 13): the ERP's invoices and returns, per shop, versioned like every
-- other ERP record. A customer's balance and credit stay on `customers` (what the buyer owes).

CREATE TABLE invoices (
  shop_id TEXT NOT NULL,
  number TEXT NOT NULL,                  -- the ERP's invoice (or credit note) number, what the buyer sees
  customer_id TEXT NOT NULL,             -- customers.id: only this buyer's token opens it
  kind TEXT NOT NULL,                    -- invoice | credit_note
  order_refs TEXT NOT NULL DEFAULT '[]', -- JSON array of orders.order_ref it bills
  issued_at INTEGER NOT NULL,            -- ms
  due_at INTEGER,                        -- ms
  currency TEXT NOT NULL,
  total TEXT NOT NULL,                   -- decimal strings
  open_amount TEXT NOT NULL,
  status TEXT NOT NULL,                  -- open | partial | paid | cancelled
  pdf_available INTEGER NOT NULL DEFAULT 0, -- 0 none, 1 the ERP renders one (fetched into R2 on first request), 2 kept in R2
  erp_id TEXT,
  version INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (shop_id, number)
) WITHOUT ROWID;
CREATE INDEX invoices_customer ON invoices (shop_id, customer_id, issued_at);

-- Returns: filed by the buyer at the edge (version 0, status requested) and delivered to the ERP,
-- or pushed by the ERP (its RMAs, and the status of the edge's requests).
CREATE TABLE account_returns (
  shop_id TEXT NOT NULL,
  return_ref TEXT NOT NULL,              -- the edge's request id (ret_…) or the ERP's own return id
  rma_number TEXT,                       -- the ERP's RMA / return document number
  customer_id TEXT NOT NULL,
  order_ref TEXT NOT NULL,
  lines TEXT NOT NULL,                   -- JSON [{ sku, qty }]
  reason TEXT,
  status TEXT NOT NULL,                  -- requested | approved | rejected | received | refunded | cancelled
  photo_key TEXT,                        -- R2 key of the buyer's photo
  requested_at INTEGER NOT NULL,         -- ms
  at INTEGER NOT NULL,                   -- ms: when the current status was reached
  version INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (shop_id, return_ref)
) WITHOUT ROWID;
CREATE INDEX account_returns_order ON account_returns (shop_id, order_ref);
CREATE INDEX account_returns_customer ON account_returns (shop_id, customer_id, requested_at);

-- A buyer's order history is found by the customer's email.
CREATE INDEX orders_email ON orders (shop_id, email, at);
