import amazon from "./data/amazon.json";
import canadapost from "./data/canadapost.json";
import canpar from "./data/canpar.json";
import dhl from "./data/dhl.json";
import dpd from "./data/dpd.json";
import fedex from "./data/fedex.json";
import gofo from "./data/gofo.json";
import landmark from "./data/landmark.json";
import lasership from "./data/lasership.json";
import oldDominion from "./data/old_dominion.json";
import ontrac from "./data/ontrac.json";
import purolator from "./data/purolator.json";
import s10 from "./data/s10.json";
import speedee from "./data/speedee.json";
import ups from "./data/ups.json";
import usps from "./data/usps.json";
import yodel from "./data/yodel.json";
import yunexpress from "./data/yunexpress.json";

/** One courier file of jkeen/tracking_number_data, as far as this module reads it. */
interface CourierData {
  name: string;
  courier_code: string;
  tracking_numbers: ReadonlyArray<FormatData>;
}

interface FormatData {
  name: string;
  /** A Ruby regex; an array is joined into one pattern. */
  regex: string | ReadonlyArray<string>;
  validation: {
    checksum?: ChecksumData;
    serial_number_format?: { prepend_if?: { matches_regex: string; content: string } };
    /** Each named `additional` section must find an entry for the number. */
    additional?: { exists?: ReadonlyArray<string> };
  };
  tracking_url?: string | null;
  additional?: ReadonlyArray<{ name: string; regex_group_name: string; lookup: ReadonlyArray<LookupData> }>;
}

interface ChecksumData {
  name: string;
  modulo?: number;
  evens_multiplier?: number;
  odds_multiplier?: number;
  reverse?: boolean;
  weightings?: ReadonlyArray<number>;
  modulo1?: number;
  modulo2?: number;
  alphabet?: string;
}

interface LookupData {
  matches?: string;
  matches_regex?: string;
  courier?: string;
}

/** Alphabetical, as the reference Ruby gem loads them; earlier formats win ties. */
const COURIER_DATA: ReadonlyArray<CourierData> = [
  amazon,
  canadapost,
  canpar,
  dhl,
  dpd,
  fedex,
  gofo,
  landmark,
  lasership,
  oldDominion,
  ontrac,
  purolator,
  s10,
  speedee,
  ups,
  usps,
  yodel,
  yunexpress,
];

/** What a tracking number says about itself. */
export interface TrackingIdentity {
  /** The courier's name; for S10 numbers, the postal service of the number's country (e.g. "Royal Mail Group plc"). */
  carrier: string;
  /** The data's courier code: "ups", "fedex", "usps", "s10", "dhl", … */
  courierCode: string;
  /** The number format's name, e.g. "UPS Waybill" or "FedEx Ground 96 (22)". */
  name: string;
  /** The courier's public tracking page for this number, when the data has a template for it. */
  trackingUrl?: string;
}

interface Lookup {
  group: string;
  entries: ReadonlyArray<{ matches?: string; pattern?: RegExp; courier?: string }>;
}

interface Format {
  courierCode: string;
  courierName: string;
  name: string;
  pattern: RegExp;
  checksum?: ChecksumData;
  prependIf?: { pattern: RegExp; content: string };
  /** Lookups the number must find an entry in (`validation.additional.exists`). */
  required: ReadonlyArray<Lookup>;
  /** The "Courier" lookup that names the postal service of an S10 number. */
  courier?: Lookup;
  trackingUrl?: string;
}

/** The longest number any format accepts is 34 characters; past this, input is not a tracking number and is not worth a regex. */
const MAX_INPUT_LENGTH = 64;

function compileLookup(format: FormatData, sectionName: string): Lookup | undefined {
  const section = format.additional?.find((a) => a.name === sectionName);
  if (!section) return undefined;
  const entries = section.lookup.map((e) => ({
    matches: e.matches,
    pattern: e.matches_regex === undefined ? undefined : new RegExp(e.matches_regex, "u"),
    courier: e.courier,
  }));
  return { group: section.regex_group_name, entries };
}

/**
 * The data's patterns are Ruby regexes that the gem anchors with `^…$` and matches against the number with spaces removed.
 * The constructs they use (named groups, lookarounds, `\s`, `\b`) mean the same in JS, so joining and anchoring is the whole
 * translation; the `u` flag makes an escape JS does not know a load-time error rather than a silently different pattern.
 */
function compileFormat(courier: CourierData, format: FormatData): Format {
  const source = typeof format.regex === "string" ? format.regex : format.regex.join("");
  const prepend = format.validation.serial_number_format?.prepend_if;
  const required = (format.validation.additional?.exists ?? []).map((sectionName) => {
    const lookup = compileLookup(format, sectionName);
    if (!lookup) throw new Error(`${format.name}: validation names a missing lookup "${sectionName}"`);
    return lookup;
  });
  return {
    courierCode: courier.courier_code,
    courierName: courier.name,
    name: format.name,
    pattern: new RegExp(`^(?:${source})$`, "u"),
    checksum: format.validation.checksum,
    prependIf: prepend && { pattern: new RegExp(prepend.matches_regex, "u"), content: prepend.content },
    required,
    courier: compileLookup(format, "Courier"),
    trackingUrl: format.tracking_url ?? undefined,
  };
}

/** Every format of every courier, compiled once. None of the patterns is global or sticky, so they keep no state between uses. */
const FORMATS: ReadonlyArray<Format> = COURIER_DATA.flatMap((courier) => courier.tracking_numbers.map((format) => compileFormat(courier, format)));

const digitValue = (c: string): number => c.charCodeAt(0) - 48;

/** Mod 10 with alternating weights; letters count as `(charCode − 3) mod 10`, which is how UPS folds its alphanumeric serials. */
function mod10(serial: string, checkDigit: string, spec: ChecksumData): boolean {
  const chars = spec.reverse ? [...serial].reverse() : [...serial];
  let total = 0;
  chars.forEach((c, i) => {
    const x = /[0-9]/.test(c) ? digitValue(c) : (c.charCodeAt(0) - 3) % 10;
    const weight = i % 2 === 1 ? spec.odds_multiplier : spec.evens_multiplier;
    total += x * (weight ?? 1);
  });
  return String((10 - (total % 10)) % 10) === checkDigit;
}

/** The serial read as one decimal number, mod 7 (DHL Express); done digit by digit so no length overflows. */
function mod7(serial: string, checkDigit: string): boolean {
  let remainder = 0;
  for (const c of serial) remainder = (remainder * 10 + digitValue(c)) % 7;
  return String(remainder) === checkDigit;
}

/** Luhn over the serial, doubling from its rightmost digit (the check digit is not part of it). */
function luhn(serial: string, checkDigit: string): boolean {
  let total = 0;
  [...serial].reverse().forEach((c, i) => {
    const x = i % 2 === 0 ? digitValue(c) * 2 : digitValue(c);
    total += x > 9 ? x - 9 : x;
  });
  return String((10 - (total % 10)) % 10) === checkDigit;
}

/** UPU S10: weights 8,6,4,2,3,5,9,7 mod 11, where a remainder of 1 gives 0 and of 0 gives 5. */
function s10Check(serial: string, checkDigit: string, spec: ChecksumData): boolean {
  const weights = spec.weightings ?? [8, 6, 4, 2, 3, 5, 9, 7];
  const total = [...serial].reduce((sum, c, i) => sum + digitValue(c) * (weights[i] ?? 0), 0);
  const remainder = total % (spec.modulo ?? 11);
  const check = remainder === 1 ? 0 : remainder === 0 ? 5 : 11 - remainder;
  return String(check) === checkDigit;
}

/** FedEx: the weighted sum, mod `modulo1`, mod `modulo2`. */
function sumProduct(serial: string, checkDigit: string, spec: ChecksumData): boolean {
  const weights = spec.weightings;
  if (!weights || weights.length !== serial.length || !spec.modulo1 || !spec.modulo2) return false;
  const total = [...serial].reduce((sum, c, i) => sum + digitValue(c) * (weights[i] ?? 0), 0);
  return String((total % spec.modulo1) % spec.modulo2) === checkDigit;
}

/** ISO 7064 MOD 37,36 as DPD's label specification gives it; the check character may be a letter. */
function mod37_36(serial: string, checkDigit: string, spec: ChecksumData): boolean {
  const alphabet = spec.alphabet ?? "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  const mod = alphabet.length;
  let cd = mod;
  for (const c of serial) {
    const value = alphabet.indexOf(c);
    if (value < 0) return false;
    cd += value;
    if (cd > mod) cd -= mod;
    cd *= 2;
    if (cd > mod) cd -= mod + 1;
  }
  cd = mod + 1 - cd;
  if (cd === mod) cd = 0;
  return alphabet[cd] === checkDigit;
}

/** Whether the check digit fits the serial; an algorithm this module does not know never passes. */
function passesChecksum(spec: ChecksumData, serial: string, checkDigit: string): boolean {
  switch (spec.name) {
    case "mod10":
      return mod10(serial, checkDigit, spec);
    case "mod7":
      return mod7(serial, checkDigit);
    case "luhn":
      return luhn(serial, checkDigit);
    case "s10":
      return s10Check(serial, checkDigit, spec);
    case "sum_product_with_weightings_and_modulo":
      return sumProduct(serial, checkDigit, spec);
    case "mod_37_36":
      return mod37_36(serial, checkDigit, spec);
    default:
      return false;
  }
}

function findEntry(lookup: Lookup, groups: Record<string, string | undefined>): Lookup["entries"][number] | undefined {
  const value = groups[lookup.group]?.replace(/\s/g, "");
  if (value === undefined) return undefined;
  return lookup.entries.find((e) => (e.matches !== undefined ? e.matches === value : e.pattern?.test(value)));
}

interface Candidate {
  format: Format;
  carrier: string;
  /** The format carries a check digit and this number's is right: much stronger evidence than a pattern match alone. */
  verified: boolean;
}

/** Matches `number` (whitespace removed, upper case) against one format and runs its validations. */
function evaluate(format: Format, number: string): Candidate | undefined {
  const groups = format.pattern.exec(number)?.groups;
  if (!groups) return undefined;
  if (format.checksum) {
    const raw = (groups.SerialNumber ?? "").replace(/\s/g, "");
    const serial = format.prependIf?.pattern.test(raw) ? format.prependIf.content + raw : raw;
    const checkDigit = (groups.CheckDigit ?? "").replace(/\s/g, "");
    if (!passesChecksum(format.checksum, serial, checkDigit)) return undefined;
  }
  if (!format.required.every((lookup) => findEntry(lookup, groups))) return undefined;
  const postal = format.courier && findEntry(format.courier, groups)?.courier;
  return { format, carrier: postal ?? format.courierName, verified: format.checksum !== undefined };
}

const simplify = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, "");

/** Loose, case- and punctuation-blind containment either way, so "DHL Express", "fedex" and "Royal Mail" find their courier. */
function matchesHint(candidate: Candidate, hint: string): boolean {
  const names = [candidate.format.courierCode, candidate.format.courierName, candidate.format.name, candidate.carrier].map(simplify);
  return names.some((name) => name === hint || (hint.length >= 3 && name.includes(hint)) || (name.length >= 3 && hint.includes(name)));
}

/**
 * Lower ranks win: formats of the hinted courier, then any format whose check digit verified, then (without a hint only)
 * formats that are a bare pattern. A hint is the ERP's word for who ships; a verified check digit of another courier
 * overrides it, but a catch-all pattern such as "any 14 digits" (DHL E-Commerce) must not.
 */
function rank(candidate: Candidate, hint: string | undefined): number | undefined {
  if (hint !== undefined && matchesHint(candidate, hint)) return candidate.verified ? 0 : 1;
  if (candidate.verified) return 2;
  return hint === undefined ? 3 : undefined;
}

function best(number: string, hint: string | undefined): Candidate | undefined {
  let winner: { candidate: Candidate; rank: number } | undefined;
  for (const format of FORMATS) {
    const candidate = evaluate(format, number);
    const r = candidate && rank(candidate, hint);
    if (candidate && r !== undefined && (!winner || r < winner.rank)) winner = { candidate, rank: r };
  }
  return winner?.candidate;
}

/**
 * Identifies the courier and format of a tracking number from jkeen/tracking_number_data, checking its check digit where
 * the format has one, and fills in the courier's tracking URL.
 *
 * Whitespace is ignored and letters are upper-cased. Dashes are kept first (one LaserShip format has one) and dropped on a
 * second try, since ERPs often print numbers grouped with them. A `carrierHint` (free text such as "UPS", "DHL Express" or
 * "Royal Mail") prefers that courier's formats; the number must still validate.
 *
 * @example
 * identifyTracking("1Z5R89390357567127")
 * // → { carrier: "UPS", courierCode: "ups", name: "UPS", trackingUrl: "https://wwwapps.ups.com/WebTracking/track?track=yes&trackNums=1Z5R89390357567127" }
 * identifyTracking("RB123456785GB", "Royal Mail")
 * // → { carrier: "Royal Mail Group plc", courierCode: "s10", name: "S10" }
 */
export function identifyTracking(trackingNumber: string, carrierHint?: string): TrackingIdentity | undefined {
  const compact = trackingNumber.replace(/\s/g, "").toUpperCase();
  if (compact === "" || compact.length > MAX_INPUT_LENGTH) return undefined;
  const hint = carrierHint === undefined ? undefined : simplify(carrierHint) || undefined;
  for (const number of new Set([compact, compact.replace(/-/g, "")])) {
    const found = best(number, hint);
    if (!found) continue;
    const { format, carrier } = found;
    const identity: TrackingIdentity = { carrier, courierCode: format.courierCode, name: format.name };
    if (format.trackingUrl) identity.trackingUrl = format.trackingUrl.replaceAll("%s", () => encodeURIComponent(number));
    return identity;
  }
  return undefined;
}

/**
 * The courier's tracking page for a number, or `undefined` when the number is not recognised or its courier has no
 * public URL template (S10 postal numbers such as Royal Mail's, Amazon, LaserShip).
 *
 * @example
 * trackingUrlFor("FedEx", "986578788855") // → "https://www.fedex.com/apps/fedextrack/?tracknumbers=986578788855"
 */
export function trackingUrlFor(carrier: string, trackingNumber: string): string | undefined {
  return identifyTracking(trackingNumber, carrier)?.trackingUrl;
}
