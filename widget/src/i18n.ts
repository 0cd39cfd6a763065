/**
 * The widget's own words in English, German and French; `{n}`/`{d}` are filled in by `t()`. A
 * language is one string, its words in the order of `KEYS` (no key spelled out three times: the
 * base bundle's gzip budget).
 */
const KEYS = ["in_stock", "low_stock", "out_of_stock", "backorder", "arrival", "updated", "warehouses"] as const;
export type Key = (typeof KEYS)[number];

const WORDS = {
  en: "In stock|Only {n} left|Out of stock|Available to order|{n} more on {d}|Updated {d}|Stock by warehouse",
  de: "Auf Lager|Nur noch {n} verfügbar|Nicht auf Lager|Bestellbar|{n} weitere am {d}|Aktualisiert {d}|Bestand je Lager",
  fr: "En stock|Plus que {n}|Épuisé|Disponible sur commande|{n} de plus le {d}|Mis à jour {d}|Stock par entrepôt",
};

export type Translate = (key: Key, n?: string, d?: string) => string;

/** Strings for a BCP 47 locale's language, English when we have none for it. */
export function translator(locale: string): Translate {
  const lang = locale.slice(0, 2).toLowerCase();
  const words = (lang === "de" || lang === "fr" ? WORDS[lang] : WORDS.en).split("|");
  return (key, n = "", d = "") => (words[KEYS.indexOf(key)] ?? "").replace("{n}", n).replace("{d}", d);
}
