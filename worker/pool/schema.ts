/** The schema of a pool object: the same migrations D1 runs, in order (test/unit/pool-tables.unit.test.ts keeps this list whole). */
import m0001 from "../migrations/0001_edge_core.sql";
import m0002 from "../migrations/0002_orders.sql";
import m0003 from "../migrations/0003_connectors.sql";
import m0004 from "../migrations/0004_order_settings_without_platform_api.sql";
import m0006 from "../migrations/0006_staff_keys_audit.sql";
import m0007 from "../migrations/0007_retention.sql";
import m0008 from "../migrations/0008_widget_storefront.sql";
import m0009 from "../migrations/0009_delivery_attempts.sql";
import m0010 from "../migrations/0010_back_in_stock.sql";
import m0011 from "../migrations/0011_data_plane_indexes.sql";
import m0012 from "../migrations/0012_stock_pools.sql";
import m0013 from "../migrations/0013_staff_landed_cost_erp_ids.sql";
import m0015 from "../migrations/0015_stock_demand.sql";
import m0016 from "../migrations/0016_product_sales.sql";
import m0017 from "../migrations/0017_account.sql";
import m0018 from "../migrations/0018_quality_forecast.sql";
import m0020 from "../migrations/0020_retention_indexes.sql";
import m0025 from "../migrations/0025_kit_components.sql";
import m0026 from "../migrations/0026_data_plane_pools.sql";
import m0027 from "../migrations/0027_stock_changes_from_history.sql";

export const MIGRATIONS: readonly (readonly [name: string, sql: string])[] = [
  ["0001_edge_core.sql", m0001],
  ["0002_orders.sql", m0002],
  ["0003_connectors.sql", m0003],
  ["0004_order_settings_without_platform_api.sql", m0004],
  ["0006_staff_keys_audit.sql", m0006],
  ["0007_retention.sql", m0007],
  ["0008_widget_storefront.sql", m0008],
  ["0009_delivery_attempts.sql", m0009],
  ["0010_back_in_stock.sql", m0010],
  ["0011_data_plane_indexes.sql", m0011],
  ["0012_stock_pools.sql", m0012],
  ["0013_staff_landed_cost_erp_ids.sql", m0013],
  ["0015_stock_demand.sql", m0015],
  ["0016_product_sales.sql", m0016],
  ["0017_account.sql", m0017],
  ["0018_quality_forecast.sql", m0018],
  ["0020_retention_indexes.sql", m0020],
  ["0025_kit_components.sql", m0025],
  ["0026_data_plane_pools.sql", m0026],
  ["0027_stock_changes_from_history.sql", m0027],
];
