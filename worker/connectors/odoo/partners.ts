import type { OdooSettings } from "../../contract/connectors";
import type { Address, ErpOrder } from "../../orders/model";
import { RemoteError } from "../errors";
import type { OdooClient } from "./client";
import { text } from "./map";

/**
 * The partner a shop order is booked on: the one with the order's email, else a new contact with
 * that email and the buyer's name (so the order is never silently booked on someone else), else,
 * for an order without an email, the settings' default partner.
 */
export async function partnerFor(client: OdooClient, settings: OdooSettings, order: ErpOrder): Promise<number> {
  if (order.email) {
    const [p] = await client.searchRead("res.partner", [["email", "=ilike", order.email]], { fields: ["id"], limit: 1, order: "id asc" });
    if (p) return p.id;
    const name = order.customer?.name ?? order.billingAddress?.name ?? order.shippingAddress?.name ?? order.email;
    return client.create("res.partner", { name, email: order.email, ...(order.customer?.phone ? { phone: order.customer.phone } : {}) });
  }
  if (settings.defaultPartnerId) return settings.defaultPartnerId;
  throw new RemoteError("unknown_customer", "The order has no email and no default partner is set", false);
}

async function countryId(client: OdooClient, country: string | undefined): Promise<number | undefined> {
  if (!country) return undefined;
  const [c] = await client.searchRead("res.country", ["|", ["code", "=ilike", country], ["name", "=ilike", country]], { fields: ["id"], limit: 1 });
  return c?.id;
}

/**
 * The shipping address as a delivery contact of the partner (`type = delivery`, `parent_id`), found
 * again when the same address comes back, so the warehouse prints the right label.
 */
export async function shippingContact(client: OdooClient, partner: number, a: Address, buyer: string | undefined): Promise<number> {
  const name = a.name ?? buyer ?? a.company ?? "Delivery";
  const vals = {
    type: "delivery",
    parent_id: partner,
    name,
    ...(a.address1 ? { street: a.address1 } : {}),
    ...(a.address2 ? { street2: a.address2 } : {}),
    ...(a.city ? { city: a.city } : {}),
    ...(a.zip ? { zip: a.zip } : {}),
    ...(a.phone ? { phone: a.phone } : {}),
  };
  const [same] = await client.searchRead(
    "res.partner",
    [
      ["parent_id", "=", partner],
      ["type", "=", "delivery"],
      ["name", "=", name],
      ["street", "=", text(a.address1) ?? false],
      ["zip", "=", text(a.zip) ?? false],
    ],
    { fields: ["id"], limit: 1 },
  );
  if (same) return same.id;
  const country = await countryId(client, a.country);
  return client.create("res.partner", { ...vals, ...(country ? { country_id: country } : {}) });
}

/**
 * Partners given a pricelist of their own: Odoo 18 stores it in `specific_property_product_pricelist`
 * (searchable); 16 and 17 keep it as an `ir.property` of the partner (`res_id` "res.partner,<id>"),
 * since `property_product_pricelist` itself is computed and cannot be searched.
 */
export async function ownPricelistPartners(client: OdooClient): Promise<number[]> {
  if ((await client.version()) >= 18) {
    const partners = await client.searchRead("res.partner", [["specific_property_product_pricelist", "!=", false]], { fields: ["id"] });
    return partners.map((p) => p.id);
  }
  const props = await client.searchRead(
    "ir.property",
    [
      ["name", "=", "property_product_pricelist"],
      ["res_id", "=like", "res.partner,%"],
      ["value_reference", "!=", false],
    ],
    { fields: ["res_id"] },
  );
  return props.flatMap((p) => {
    const id = Number(/^res\.partner,(\d+)$/.exec(text(p.res_id) ?? "")?.[1]);
    return Number.isInteger(id) && id > 0 ? [id] : [];
  });
}
