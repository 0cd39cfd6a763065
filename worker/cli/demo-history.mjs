/**
 * The demo shop's sales history and data-quality cases (issue 15), apart from the rest of the demo
 * data: two years of daily sales up to yesterday for a handful of SKUs, so the forecast has weekday
 * and yearly seasons to find (tees peak in summer, hoodies and caps in winter) and an intermittent
 * SKU (the enamel mug); and two customers that are one company (the same VAT id). Deterministic per
 * day: seeding again pushes the same numbers.
 */

const DAY = 86_400_000;

/** [sku, warehouse, mean units a day, month of the yearly peak (0–11) or -1, share of days it sells] */
const SERIES = [
  ["TEE-ORG-M-BLK", "BER", 6, 6, 1],
  ["TEE-ORG-M-BLK", "HAM", 3, 6, 1],
  ["TEE-ORG-L-WHT", "BER", 4, 6, 1],
  ["HOODIE-L", "BER", 3, 11, 1],
  ["HOODIE-L", "VIE", 1.5, 11, 0.6],
  ["CAP-WOOL", "HAM", 2, 0, 0.8],
  ["SOCK-MERINO", "BER", 5, -1, 1],
  ["MUG-ENAMEL", "BER", 4, -1, 0.08],
];

/** A small deterministic hash of a string to [0, 1). */
function unit(text) {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return ((h >>> 0) % 1_000_003) / 1_000_003;
}

/** Daily sales rows for the last `days` days up to yesterday (UTC). */
export function sales(now = Date.now(), days = 728) {
  const today = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate());
  const rows = [];
  for (const [sku, warehouse, mean, peak, share] of SERIES) {
    for (let d = days; d >= 1; d--) {
      const at = new Date(today - d * DAY);
      const date = at.toISOString().slice(0, 10);
      if (unit(`${sku}|${warehouse}|${date}|sells`) >= share) continue;
      const weekday = [1.4, 0.8, 0.8, 0.9, 1, 1.2, 1.9][at.getUTCDay()] ?? 1;
      const months = peak < 0 ? 0 : Math.min(Math.abs(at.getUTCMonth() - peak), 12 - Math.abs(at.getUTCMonth() - peak));
      const season = peak < 0 ? 1 : 1.8 - months * 0.22;
      const size = share < 0.5 ? mean / share / 4 : mean / share;
      const qty = Math.round(size * weekday * season * (0.6 + 0.8 * unit(`${sku}|${warehouse}|${date}|qty`)));
      if (qty > 0) rows.push({ sku, warehouse, date, qty });
    }
  }
  return rows;
}

/** Two B2B customers of one company (the same VAT id, written differently): the quality report's duplicate. */
export const duplicateCustomers = [
  {
    id: "C-2001",
    company: "Kranich Handels GmbH",
    email: "einkauf@kranich.example",
    vatId: "DE 812 345 678",
    priceList: "B2B-GOLD",
    version: 1_763_900_000_000,
  },
  { id: "C-2002", company: "Kranich Handel", email: "lager@kranich-handel.example", vatId: "de812345678", priceList: "B2B-GOLD", version: 1_763_900_000_000 },
];
