-- The ERP's landed cost of a product (purchase price plus freight, duty, handling), optional, as a
-- decimal string in the product's currency; versioned with the rest of the product row. Staff see
-- margin on it when present (issue 16).
ALTER TABLE products ADD COLUMN landed_cost TEXT;

-- The ERP's own record ids (e.g. Odoo's numeric ids of product.product and sale.order), optional:
-- an ERP that addresses records by id rather than by name gets staff deep links from them.
ALTER TABLE products ADD COLUMN erp_id TEXT;
ALTER TABLE orders ADD COLUMN erp_id TEXT;
