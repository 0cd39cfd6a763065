/** The widget's own words in English, German and French; `{n}`/`{d}` are filled in by `t()`. */
const en = {
  in_stock: "In stock",
  low_stock: "Only {n} left",
  out_of_stock: "Out of stock",
  backorder: "Available to order",
  arrival: "{n} more on {d}",
  updated: "Updated {d}",
  warehouses: "Stock by warehouse",
  price: "Your price",
  from: "from {n}",
  terms: "Payment terms",
  order: "Order number",
  email: "Email",
  track: "Track order",
  notFound: "No order matches that number and email.",
  failed: "Tracking is unavailable right now.",
  received: "Received",
  confirmed: "Confirmed",
  picking: "Being picked",
  packed: "Packed",
  shipped: "Shipped",
  delivered: "Delivered",
  cancelled: "Cancelled",
  returned: "Returned",
};
export type Key = keyof typeof en;
type Strings = Record<Key, string>;

const de: Strings = {
  in_stock: "Auf Lager",
  low_stock: "Nur noch {n} verfügbar",
  out_of_stock: "Nicht auf Lager",
  backorder: "Bestellbar",
  arrival: "{n} weitere am {d}",
  updated: "Aktualisiert {d}",
  warehouses: "Bestand je Lager",
  price: "Ihr Preis",
  from: "ab {n}",
  terms: "Zahlungsbedingungen",
  order: "Bestellnummer",
  email: "E-Mail",
  track: "Sendung verfolgen",
  notFound: "Keine Bestellung mit dieser Nummer und E-Mail.",
  failed: "Die Sendungsverfolgung ist gerade nicht erreichbar.",
  received: "Eingegangen",
  confirmed: "Bestätigt",
  picking: "In Kommissionierung",
  packed: "Verpackt",
  shipped: "Versandt",
  delivered: "Zugestellt",
  cancelled: "Storniert",
  returned: "Retourniert",
};

const fr: Strings = {
  in_stock: "En stock",
  low_stock: "Plus que {n}",
  out_of_stock: "Épuisé",
  backorder: "Disponible sur commande",
  arrival: "{n} de plus le {d}",
  updated: "Mis à jour {d}",
  warehouses: "Stock par entrepôt",
  price: "Votre prix",
  from: "à partir de {n}",
  terms: "Conditions de paiement",
  order: "Numéro de commande",
  email: "E-mail",
  track: "Suivre la commande",
  notFound: "Aucune commande ne correspond à ce numéro et cet e-mail.",
  failed: "Le suivi est indisponible pour le moment.",
  received: "Reçue",
  confirmed: "Confirmée",
  picking: "En préparation",
  packed: "Emballée",
  shipped: "Expédiée",
  delivered: "Livrée",
  cancelled: "Annulée",
  returned: "Retournée",
};

export type Translate = (key: Key, n?: string, d?: string) => string;

/** Strings for a BCP 47 locale's language, English when we have none for it. */
export function translator(locale: string): Translate {
  const lang = locale.slice(0, 2).toLowerCase();
  const table: Strings = lang === "de" ? de : lang === "fr" ? fr : en;
  return (key, n = "", d = "") => table[key].replace("{n}", n).replace("{d}", d);
}
