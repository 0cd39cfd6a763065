/**
 * Suggested matches between the shop platform's variants and the ERP's products: the same GTIN,
 * the same SKU once normalised (case, separators, leading zeros), or a similar title.
 */

export interface ErpProductRef {
  sku: string;
  name: string;
  gtin?: string;
}

export type MatchReason = "gtin" | "normalised_sku" | "title";

export interface Suggestion {
  sku: string;
  name: string;
  reason: MatchReason;
  /** 1 for a GTIN, 0.95 for a normalised SKU, the titles' similarity (0.6–1) otherwise. */
  score: number;
}

/** Titles at least this similar (Dice coefficient of character trigrams) are suggested. */
export const TITLE_THRESHOLD = 0.6;
/** Suggestions per variant, best first. */
export const MAX_SUGGESTIONS = 3;

/**
 * A SKU as people mistype it the same way: upper case, without spaces, dashes, underscores, dots or
 * slashes, and each run of digits without its leading zeros ("tee-0042/m" and "TEE42M" are one).
 */
export const normaliseSku = (sku: string): string =>
  sku
    .toUpperCase()
    .replace(/[\s\-_./\\]+/g, "")
    .replace(/\d+/g, (digits) => digits.replace(/^0+(?=\d)/, ""));

/** A GTIN (8–14 digits) as GTIN-14, else undefined: "4006381333931" and "04006381333931" are one. */
export const gtin14 = (code: string | undefined): string | undefined => {
  const c = code?.trim() ?? "";
  return /^\d{8,14}$/.test(c) ? c.padStart(14, "0") : undefined;
};

const words = (title: string): string[] =>
  title
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);

function trigrams(title: string): Set<string> {
  const out = new Set<string>();
  for (const w of words(title)) {
    const padded = `  ${w} `;
    for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
  }
  return out;
}

/** Dice coefficient of the titles' character trigrams (word by word, case and accents ignored): 0…1. */
export function titleSimilarity(a: string, b: string): number {
  const ta = trigrams(a);
  const tb = trigrams(b);
  if (ta.size === 0 || tb.size === 0) return 0;
  let shared = 0;
  for (const t of ta) if (tb.has(t)) shared++;
  return (2 * shared) / (ta.size + tb.size);
}

/** The ERP's products indexed once for many look-ups. */
export interface ProductIndex {
  byGtin: Map<string, ErpProductRef[]>;
  byNormalised: Map<string, ErpProductRef[]>;
  /** Word (3+ letters) → products whose name has it: the candidates a title is compared with. */
  byWord: Map<string, ErpProductRef[]>;
}

const push = <K, V>(map: Map<K, V[]>, key: K, value: V) => {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
};

export function indexProducts(products: readonly ErpProductRef[]): ProductIndex {
  const index: ProductIndex = { byGtin: new Map(), byNormalised: new Map(), byWord: new Map() };
  for (const p of products) {
    const g = gtin14(p.gtin);
    if (g) push(index.byGtin, g, p);
    push(index.byNormalised, normaliseSku(p.sku), p);
    for (const w of new Set(words(p.name))) if (w.length >= 3) push(index.byWord, w, p);
  }
  return index;
}

/** Title candidates compared per variant at most (the products sharing the most words come first). */
const MAX_TITLE_CANDIDATES = 200;

/** The likely ERP products behind a platform variant, best first, at most `MAX_SUGGESTIONS`. */
export function suggestMatches(variant: { sku?: string; barcode?: string; title: string }, index: ProductIndex): Suggestion[] {
  const found = new Map<string, Suggestion>();
  const add = (s: Suggestion) => {
    const known = found.get(s.sku);
    if (!known || better(s, known) < 0) found.set(s.sku, s);
  };
  const g = gtin14(variant.barcode) ?? gtin14(variant.sku);
  for (const p of g ? (index.byGtin.get(g) ?? []) : []) add({ sku: p.sku, name: p.name, reason: "gtin", score: 1 });
  if (variant.sku) {
    for (const p of index.byNormalised.get(normaliseSku(variant.sku)) ?? []) add({ sku: p.sku, name: p.name, reason: "normalised_sku", score: 0.95 });
  }
  const shared = new Map<ErpProductRef, number>();
  for (const w of new Set(words(variant.title))) {
    if (w.length < 3) continue;
    for (const p of index.byWord.get(w) ?? []) shared.set(p, (shared.get(p) ?? 0) + 1);
  }
  const candidates = [...shared].sort((a, b) => b[1] - a[1]).slice(0, MAX_TITLE_CANDIDATES);
  for (const [p] of candidates) {
    const score = titleSimilarity(variant.title, p.name);
    if (score >= TITLE_THRESHOLD) add({ sku: p.sku, name: p.name, reason: "title", score: Math.round(score * 100) / 100 });
  }
  return [...found.values()].sort((a, b) => better(a, b) || (a.sku < b.sku ? -1 : 1)).slice(0, MAX_SUGGESTIONS);
}

/** A GTIN beats a normalised SKU beats a title, whatever the title's score; then the higher score. */
const RANK: Record<MatchReason, number> = { gtin: 0, normalised_sku: 1, title: 2 };
const better = (a: Suggestion, b: Suggestion): number => RANK[a.reason] - RANK[b.reason] || b.score - a.score;
