/**
 * The promise's words (issue 12) in English, German and French, for the product page's box and the
 * cart's: `{n}` a quantity, `{d}` a day ("14 March"), `{w}` warehouse names, `{u}` the ERP's sales unit.
 */
const en = {
  forQty: "For {n}:",
  allToday: "all ship today",
  allBy: "complete by {d}",
  notAll: "not all have a date yet",
  nowToday: "{n} ship today ({w})",
  nowOn: "{n} ship on {d} ({w})",
  dated: "{n} on {d}",
  backordered: "{n} backordered",
  unavailable: "{n} not available",
  unit: "Sold per {u} of {n}",
  min: "minimum {n}",
  step: "in steps of {n}",
  belowMin: "Order at least {n}",
  notMultiple: "Order in steps of {n}",
  cart: "Delivery of your cart:",
  cartLine: "{u} × {n}",
  noSku: "no delivery estimate",
};
export type PromiseKey = keyof typeof en;
type Words = Record<PromiseKey, string>;

const de: Words = {
  forQty: "Für {n}:",
  allToday: "alle versandbereit heute",
  allBy: "vollständig bis {d}",
  notAll: "noch nicht alle mit Termin",
  nowToday: "{n} heute versandbereit ({w})",
  nowOn: "{n} versandbereit am {d} ({w})",
  dated: "{n} am {d}",
  backordered: "{n} nachbestellt",
  unavailable: "{n} nicht verfügbar",
  unit: "Verkauf je {u} zu {n}",
  min: "mindestens {n}",
  step: "in Schritten von {n}",
  belowMin: "Bitte mindestens {n} bestellen",
  notMultiple: "Bitte in Schritten von {n} bestellen",
  cart: "Lieferung Ihres Warenkorbs:",
  cartLine: "{u} × {n}",
  noSku: "kein Liefertermin",
};

const fr: Words = {
  forQty: "Pour {n} :",
  allToday: "tout part aujourd’hui",
  allBy: "complet le {d}",
  notAll: "pas encore tout daté",
  nowToday: "{n} partent aujourd’hui ({w})",
  nowOn: "{n} partent le {d} ({w})",
  dated: "{n} le {d}",
  backordered: "{n} en réapprovisionnement",
  unavailable: "{n} indisponibles",
  unit: "Vendu par {u} de {n}",
  min: "minimum {n}",
  step: "par multiples de {n}",
  belowMin: "Commandez au moins {n}",
  notMultiple: "Commandez par multiples de {n}",
  cart: "Livraison de votre panier :",
  cartLine: "{u} × {n}",
  noSku: "pas d’estimation",
};

export type PromiseWords = (key: PromiseKey, fill?: { n?: string; d?: string; w?: string; u?: string }) => string;

/** The words for a BCP 47 locale's language, English when we have none for it. */
export function promiseWords(locale: string): PromiseWords {
  const lang = locale.slice(0, 2).toLowerCase();
  const table: Words = lang === "de" ? de : lang === "fr" ? fr : en;
  return (key, fill = {}) => table[key].replace(/\{([ndwu])\}/g, (_, k: "n" | "d" | "w" | "u") => fill[k] ?? "");
}
