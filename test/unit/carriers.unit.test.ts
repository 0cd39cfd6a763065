import { describe, expect, it } from "vitest";
import { identifyTracking, trackingUrlFor } from "../../worker/domain/carriers";
import amazon from "../../worker/domain/carriers/data/amazon.json";
import canadapost from "../../worker/domain/carriers/data/canadapost.json";
import canpar from "../../worker/domain/carriers/data/canpar.json";
import dhl from "../../worker/domain/carriers/data/dhl.json";
import dpd from "../../worker/domain/carriers/data/dpd.json";
import fedex from "../../worker/domain/carriers/data/fedex.json";
import gofo from "../../worker/domain/carriers/data/gofo.json";
import landmark from "../../worker/domain/carriers/data/landmark.json";
import lasership from "../../worker/domain/carriers/data/lasership.json";
import oldDominion from "../../worker/domain/carriers/data/old_dominion.json";
import ontrac from "../../worker/domain/carriers/data/ontrac.json";
import purolator from "../../worker/domain/carriers/data/purolator.json";
import s10 from "../../worker/domain/carriers/data/s10.json";
import speedee from "../../worker/domain/carriers/data/speedee.json";
import ups from "../../worker/domain/carriers/data/ups.json";
import usps from "../../worker/domain/carriers/data/usps.json";
import yodel from "../../worker/domain/carriers/data/yodel.json";
import yunexpress from "../../worker/domain/carriers/data/yunexpress.json";

/** The part of a courier file the test vectors live in. */
interface CourierVectors {
  name: string;
  courier_code: string;
  tracking_numbers: ReadonlyArray<{
    name: string;
    tracking_url?: string | null;
    validation: { checksum?: unknown };
    test_numbers: { valid: ReadonlyArray<string>; invalid: ReadonlyArray<string> };
  }>;
}

const couriers: ReadonlyArray<CourierVectors> = [
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

/**
 * Valid vectors that also satisfy an earlier courier's format (both check digits verify, or both are bare patterns), so
 * without a hint the earlier courier in data order wins. With the courier as hint each is identified correctly.
 */
const collisions: Record<string, string> = {
  "78045768393": "dhl", // Old Dominion (luhn) and DHL Express (mod 7)
  "287809468872": "fedex", // Purolator (12) (luhn) and FedEx Express (12)
  "320610804900": "fedex", // Purolator (12) (luhn) and FedEx Express (12)
  JFV247545960: "dhl", // Purolator (alpha + 9) and DHL Express (Piece ID), neither with a check digit
  "4201028200009261290113185417468510": "fedex", // USPS IMpb C and FedEx Express (34)
  " 4 2 0 1 0 2 8 2 0 0 0 0 9 2 6 1 2 9 0 1 1 3 1 8 5 4 1 7 4 6 8 5 1 0 ": "fedex", // the same, spaced
};

/** The data lists this as invalid for Purolator (alpha + 9), and as a valid Purolator (12) number, which it is. */
const validForAnotherPurolatorFormat = new Set(["331426749957"]);

const compact = (n: string): string => n.replace(/\s/g, "").toUpperCase();

const valid = couriers.flatMap((c) =>
  c.tracking_numbers.flatMap((f) =>
    f.test_numbers.valid.map((number) => ({ number, courier: c.name, code: c.courier_code, format: f.name, url: f.tracking_url ?? undefined })),
  ),
);

const invalid = couriers.flatMap((c) =>
  c.tracking_numbers.flatMap((f) =>
    f.test_numbers.invalid.map((number) => ({ number, courier: c.name, code: c.courier_code, format: f.name, checksum: f.validation.checksum !== undefined })),
  ),
);

describe("identifyTracking over the data's valid test numbers", () => {
  it.each(valid)("$format: $number (hinted $courier)", ({ number, courier, code, format, url }) => {
    const found = identifyTracking(number, courier);
    expect(found).toMatchObject({ courierCode: code, name: format });
    if (url) expect(found?.trackingUrl).toBe(url.replace("%s", encodeURIComponent(compact(number))));
    else expect(found?.trackingUrl).toBeUndefined();
  });

  it.each(valid)("$format: $number (no hint)", ({ number, code }) => {
    expect(identifyTracking(number)?.courierCode).toBe(collisions[number] ?? code);
  });
});

describe("identifyTracking over the data's invalid test numbers", () => {
  it.each(invalid)("$format: $number", ({ number, courier, code, format, checksum }) => {
    for (const hint of [undefined, courier]) {
      const found = identifyTracking(number, hint);
      expect(found?.name).not.toBe(format);
      if (!validForAnotherPurolatorFormat.has(number)) expect(found?.courierCode).not.toBe(code);
    }
    if (checksum) expect(trackingUrlFor(courier, number)).toBeUndefined();
  });
});

describe("carrier hints", () => {
  it.each([
    ["UPS", "1Z5R89390357567127", "ups"],
    ["DHL Express", "3318810025", "dhl"],
    ["fedex", "986578788855", "fedex"],
    ["FedEx Ground", "0414 4176 0228 964", "fedex"],
    ["USPS", "9400 1112 0108 0805 4830 16", "usps"],
    ["Canada Post", "0073938000549297", "canada_post"],
    ["Purolator Inc.", "287809468872", "purolator"],
    ["old-dominion", "78045768393", "old_dominion"],
  ])("%s finds its courier for %s", (hint, number, code) => {
    expect(identifyTracking(number, hint)?.courierCode).toBe(code);
  });

  it("names the postal service of an S10 number from its country code", () => {
    expect(identifyTracking("RB123456785GB", "Royal Mail")).toEqual({ carrier: "Royal Mail Group plc", courierCode: "s10", name: "S10" });
    expect(identifyTracking("RB123456785US")?.carrier).toBe("United States Postal Service");
  });

  it("lets a verified check digit of another courier override the hint", () => {
    expect(identifyTracking("1Z5R89390357567127", "FedEx")?.courierCode).toBe("ups");
    expect(identifyTracking("1Z5R89390357567127", "GLS")?.courierCode).toBe("ups");
  });

  it("does not let a bare pattern of another courier override the hint", () => {
    // Any 14 digits fit DHL E-Commerce (14), which has no check digit.
    expect(identifyTracking("60120172242323")?.courierCode).toBe("dhl");
    expect(identifyTracking("60120172242323", "Royal Mail")).toBeUndefined();
  });

  it("treats an empty hint as none", () => {
    expect(identifyTracking("60120172242323", " - ")?.courierCode).toBe("dhl");
  });
});

describe("normalisation", () => {
  it("ignores case and whitespace, including tabs and newlines", () => {
    expect(identifyTracking("1z5r8939\t0357567127\n")?.trackingUrl).toBe("https://wwwapps.ups.com/WebTracking/track?track=yes&trackNums=1Z5R89390357567127");
  });

  it("drops dashes when the number does not match with them", () => {
    expect(identifyTracking("1Z-5R8-939-03-5756-7127")?.trackingUrl).toBe("https://wwwapps.ups.com/WebTracking/track?track=yes&trackNums=1Z5R89390357567127");
  });

  it("keeps the dash a format needs", () => {
    expect(identifyTracking("1LS7119013618127-1")?.name).toBe("LaserShip 1LS7 (18)");
  });

  it.each(["", "   ", "not a tracking number", "1Z5R89390357567127".repeat(4)])("rejects %j", (input) => {
    expect(identifyTracking(input)).toBeUndefined();
  });
});

describe("trackingUrlFor", () => {
  it("fills the courier's template", () => {
    expect(trackingUrlFor("FedEx", "986578788855")).toBe("https://www.fedex.com/apps/fedextrack/?tracknumbers=986578788855");
    expect(trackingUrlFor("DPD", "0998 0000 0200 34D")).toBe("https://www.dpdgroup.com/nl/mydpd/my-parcels/track?lang=en&parcelNumber=09980000020034D");
  });

  it.each([
    ["Royal Mail", "RB123456785GB"],
    ["Amazon", "TBA000000000000"],
    ["LaserShip", "LX17635036"],
    ["UPS", "1Z5R89390357567128"],
  ])("gives nothing for %s %s", (carrier, number) => {
    expect(trackingUrlFor(carrier, number)).toBeUndefined();
  });
});
