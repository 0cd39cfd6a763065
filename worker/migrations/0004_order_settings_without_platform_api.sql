-- The shop platform's API credentials live in the connectors' `platform` slot (connector_settings),
-- the one place fulfilments, reconciliation and the stock push read them from.
ALTER TABLE shop_order_settings DROP COLUMN shopify_enc;
ALTER TABLE shop_order_settings DROP COLUMN woocommerce_enc;
