/**
 * ERP customers that are probably one company: the same VAT id, the same email domain with the same
 * company name once normalised, or the same address. The edge does not own customers: it suggests a
 * merge for the ERP to carry out (exported as CSV).
 */

export interface CustomerRef {
  id: string;
  company: string;
  email?: string;
  vatId?: string;
  address?: string;
}

export type DuplicateReason = "vat_id" | "email_domain_and_name" | "address";

export interface DuplicateGroup {
  reason: DuplicateReason;
  /** What they share, normalised. */
  key: string;
  /** The customer to keep (the lowest id), then the ones to merge into it. */
  keep: string;
  merge: string[];
  companies: string[];
}

/** Legal forms and filler that do not tell companies apart. */
const LEGAL_FORMS = new Set([
  "gmbh",
  "ag",
  "kg",
  "ohg",
  "ug",
  "mbh",
  "co",
  "ltd",
  "limited",
  "llc",
  "inc",
  "sa",
  "sarl",
  "bv",
  "nv",
  "srl",
  "spa",
  "plc",
  "the",
  "und",
  "and",
]);

/** "Müller & Co. GmbH" and "MUELLER GMBH" are one company name: lower case, no accents, no legal form. */
export const normaliseCompany = (name: string): string =>
  name
    .toLowerCase()
    .replace(/ä/g, "ae")
    .replace(/ö/g, "oe")
    .replace(/ü/g, "ue")
    .replace(/ß/g, "ss")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0 && !LEGAL_FORMS.has(w))
    .join(" ");

/** "DE 123 456 789" and "de123456789" are one VAT id. */
export const normaliseVatId = (vat: string): string => vat.toUpperCase().replace(/[^A-Z0-9]/g, "");

/** An address compared without case, punctuation, or the street-type spelling ("Str." = "Straße"). */
export const normaliseAddress = (address: string): string =>
  address
    .toLowerCase()
    .replace(/ß/g, "ss")
    .replace(/\bstr(asse|\.|\b)/g, "str")
    .replace(/strasse\b/g, "str")
    .replace(/[^a-z0-9]+/g, " ")
    .trim();

/** Free-mail domains say nothing about the company. */
const FREE_MAIL = new Set([
  "gmail.com",
  "googlemail.com",
  "yahoo.com",
  "hotmail.com",
  "outlook.com",
  "gmx.de",
  "gmx.net",
  "web.de",
  "t-online.de",
  "icloud.com",
]);

const domainOf = (email: string | undefined): string | undefined => {
  const d = email?.toLowerCase().split("@")[1]?.trim();
  return d && !FREE_MAIL.has(d) ? d : undefined;
};

/** Groups of probable duplicates, each customer in at most one group per reason, strongest reason first. */
export function findDuplicateCustomers(customers: readonly CustomerRef[]): DuplicateGroup[] {
  const rules: Array<[DuplicateReason, (c: CustomerRef) => string | undefined]> = [
    ["vat_id", (c) => (c.vatId && normaliseVatId(c.vatId).length >= 4 ? normaliseVatId(c.vatId) : undefined)],
    [
      "email_domain_and_name",
      (c) => {
        const d = domainOf(c.email);
        const n = normaliseCompany(c.company);
        return d && n ? `${d}|${n}` : undefined;
      },
    ],
    ["address", (c) => (c.address && normaliseAddress(c.address).length >= 8 ? normaliseAddress(c.address) : undefined)],
  ];
  const groups: DuplicateGroup[] = [];
  const grouped = new Set<string>();
  for (const [reason, keyOf] of rules) {
    const byKey = new Map<string, CustomerRef[]>();
    for (const c of customers) {
      const k = keyOf(c);
      if (k === undefined) continue;
      byKey.set(k, [...(byKey.get(k) ?? []), c]);
    }
    for (const [key, members] of [...byKey].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const ids = members.map((m) => m.id).sort();
      // A pair already grouped by a stronger reason is not suggested again.
      if (ids.length < 2 || ids.every((id) => grouped.has(id))) continue;
      for (const id of ids) grouped.add(id);
      const [keep = "", ...merge] = ids;
      groups.push({ reason, key, keep, merge, companies: [...new Set(members.map((m) => m.company))] });
    }
  }
  return groups;
}
