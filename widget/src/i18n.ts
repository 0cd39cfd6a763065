/** The widget's own words in English, German and French; `{n}`/`{d}` are filled in by `t()`. */
const en = {
  in_stock: "In stock",
  low_stock: "Only {n} left",
  out_of_stock: "Out of stock",
  backorder: "Available to order",
  arrival: "{n} more on {d}",
  updated: "Updated {d}",
  warehouses: "Stock by warehouse",
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
};

const fr: Strings = {
  in_stock: "En stock",
  low_stock: "Plus que {n}",
  out_of_stock: "Épuisé",
  backorder: "Disponible sur commande",
  arrival: "{n} de plus le {d}",
  updated: "Mis à jour {d}",
  warehouses: "Stock par entrepôt",
};

export type Translate = (key: Key, n?: string, d?: string) => string;

/** Strings for a BCP 47 locale's language, English when we have none for it. */
export function translator(locale: string): Translate {
  const lang = locale.slice(0, 2).toLowerCase();
  const table: Strings = lang === "de" ? de : lang === "fr" ? fr : en;
  return (key, n = "", d = "") => table[key].replace("{n}", n).replace("{d}", d);
}
