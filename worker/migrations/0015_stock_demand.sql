-- All confirmed outgoing demand of a SKU in a warehouse, reserved or not (issue 9), next to
-- `committed` (what the shop's availability subtracts). Optional: NULL when the ERP does not send
-- it. Staff see the forecast from it; public availability does not read it.
ALTER TABLE stock ADD COLUMN demand INTEGER;
