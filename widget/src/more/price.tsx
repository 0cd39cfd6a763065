import type { CustomerPrices } from "../api";
import type { Fmt } from "../format";
import { moreTranslator } from "./i18n";
import { MORE_CSS } from "./styles";

/** The signed-in buyer's unit price, quantity breaks and terms; nothing at all without a verified price. */
export function PriceView({ prices, sku, fmt }: { prices: CustomerPrices | undefined; sku: string | undefined; fmt: Fmt }) {
  const line = prices?.items.find((i) => i.sku === sku);
  if (!prices || !line) return null;
  // Up to 6 decimals: B2B unit prices of small parts go below a cent.
  const money = (amount: string, currency: string) =>
    new Intl.NumberFormat(fmt.locale, { style: "currency", currency, maximumFractionDigits: 6 }).format(Number(amount));
  const t = moreTranslator(fmt.locale);
  const breaks = line.breaks.filter((b) => b.minQty > 1);
  return (
    <div class="b p" data-price={line.unitPrice}>
      <style>{MORE_CSS}</style>
      <div>
        {t("price")}: <strong>{money(line.unitPrice, prices.currency)}</strong>
      </div>
      {breaks.length > 0 && (
        <div class="m" data-breaks>
          {breaks.map((b) => `${t("from", fmt.qty(b.minQty))}: ${money(b.unitPrice, prices.currency)}`).join(" · ")}
        </div>
      )}
      <div class="m">
        {prices.customer.company}
        {prices.customer.paymentTerms && ` · ${t("terms")}: ${prices.customer.paymentTerms}`}
      </div>
    </div>
  );
}
