import type { QualityKind } from "../../../worker/contract/quality";

/** What each kind of finding is called in the list (the edge's report, `GET /v1/staff/:shop/quality`). */
export const QUALITY_LABELS: Record<QualityKind, string> = {
  unmapped_sku: "Shop SKU the ERP does not know",
  erp_sku_not_on_sale: "ERP SKU not on sale",
  variant_without_sku: "Variant without SKU",
  duplicate_platform_sku: "SKU on several variants",
  duplicate_customer: "Probably one customer",
  price_below_cost: "Price below cost",
  stale_price: "Old price entry",
  stock_without_warehouse: "Stock in a warehouse the ERP never named",
  stuck_order: "Order stuck",
};
