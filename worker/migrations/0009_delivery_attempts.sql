-- Every attempt at a delivery, kept: a replay starts a fresh retry budget on the queue but never
-- forgets the failures before it (staff see "attempt 7 of a delivery that failed 6 times").
CREATE TABLE delivery_attempts (
  delivery_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,              -- deliveries.attempts when the attempt ended
  at INTEGER NOT NULL,
  outcome TEXT NOT NULL,                 -- delivered | retrying | failed
  error TEXT,
  PRIMARY KEY (delivery_id, attempt)
);
