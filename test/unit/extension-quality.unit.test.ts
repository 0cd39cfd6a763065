import { describe, expect, it } from "vitest";
import { proposedAlias } from "../../extension/lib/ui/quality-summary";
import type { QualityItem } from "../../worker/contract/quality";

/** The product list's quality summary (issue 15): which findings one click can fix. */
describe("the one-click alias of a quality finding", () => {
  const unmapped: QualityItem = {
    kind: "unmapped_sku",
    ref: "4401",
    title: "Tee M",
    fields: { variantId: "4401", sku: "tee-0042/m", suggested: "TEE42M" },
    suggestions: [{ sku: "TEE42M", name: "Tee M", reason: "normalised_sku", score: 1 }],
  };

  it("proposes the shop's SKU as an alias of the best suggested ERP SKU", () => {
    expect(proposedAlias(unmapped)).toEqual({ alias: "tee-0042/m", sku: "TEE42M" });
  });

  it("proposes nothing without a suggestion, without a shop SKU, or for another kind of finding", () => {
    expect(proposedAlias({ ...unmapped, suggestions: [] })).toBeUndefined();
    expect(proposedAlias({ ...unmapped, fields: { variantId: "4401" } })).toBeUndefined();
    expect(proposedAlias({ ...unmapped, kind: "erp_sku_not_on_sale" })).toBeUndefined();
  });
});
