/**
 * The lazily loaded part's own words (B2B price, order tracking, back-in-stock form) in English,
 * German and French; the availability box's words stay in the main script (../i18n.ts).
 */
const en = {
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
  notify: "Email me when it is back",
  notifyEmail: "Your email",
  notifySend: "Notify me",
  notifySent: "Check your inbox to confirm.",
  notifyFailed: "That did not work. Please try again later.",
};
export type MoreKey = keyof typeof en;
type Strings = Record<MoreKey, string>;

const de: Strings = {
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
  notify: "Benachrichtigen, wenn wieder da",
  notifyEmail: "Ihre E-Mail",
  notifySend: "Benachrichtigen",
  notifySent: "Bitte Link im Postfach bestätigen.",
  notifyFailed: "Das hat nicht geklappt. Bitte später erneut versuchen.",
};

const fr: Strings = {
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
  notify: "Me prévenir du retour",
  notifyEmail: "Votre e-mail",
  notifySend: "Me prévenir",
  notifySent: "Confirmez via le lien reçu.",
  notifyFailed: "Cela n’a pas fonctionné. Réessayez plus tard.",
};

export type MoreTranslate = (key: MoreKey, n?: string) => string;

/** Strings for a BCP 47 locale's language, English when we have none for it. */
export function moreTranslator(locale: string): MoreTranslate {
  const lang = locale.slice(0, 2).toLowerCase();
  const table: Strings = lang === "de" ? de : lang === "fr" ? fr : en;
  return (key, n = "") => table[key].replace("{n}", n);
}
