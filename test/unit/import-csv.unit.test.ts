import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CsvError, CsvParser, parseCsv, sniffDelimiter } from "../../worker/cli/import/csv.mjs";

const fields = (text: string, delimiter?: string) => parseCsv(text, delimiter ? { delimiter } : undefined).map((r: { fields: string[] }) => r.fields);

describe("the RFC 4180 CSV parser", () => {
  it.each([
    [
      "plain",
      "a,b,c\r\n1,2,3\r\n",
      [
        ["a", "b", "c"],
        ["1", "2", "3"],
      ],
    ],
    [
      "LF line ends, no final line end",
      "a,b\n1,2",
      [
        ["a", "b"],
        ["1", "2"],
      ],
    ],
    [
      "quoted delimiter",
      'sku,name\r\nA1,"Tee, blue"\r\n',
      [
        ["sku", "name"],
        ["A1", "Tee, blue"],
      ],
    ],
    ["escaped quotes", 'a\r\n"say ""hi"""\r\n', [["a"], ['say "hi"']]],
    [
      "CRLF inside a quoted field",
      'a,b\r\n"line1\r\nline2",x\r\n',
      [
        ["a", "b"],
        ["line1\r\nline2", "x"],
      ],
    ],
    [
      "empty fields",
      "a,b,c\r\n,,\r\n",
      [
        ["a", "b", "c"],
        ["", "", ""],
      ],
    ],
    [
      "empty quoted field",
      'a,b\r\n"",x\r\n',
      [
        ["a", "b"],
        ["", "x"],
      ],
    ],
    ["blank lines are skipped", "a\r\n\r\n1\r\n\r\n", [["a"], ["1"]]],
    [
      "a UTF-8 BOM is dropped",
      "\uFEFFsku,qty\n1,2\n",
      [
        ["sku", "qty"],
        ["1", "2"],
      ],
    ],
    [
      "lone CR line ends",
      "a,b\r1,2\r",
      [
        ["a", "b"],
        ["1", "2"],
      ],
    ],
    ["unicode", 'name\r\n"Grüße 🍵"\r\n', [["name"], ["Grüße 🍵"]]],
  ])("%s", (_name, text, expected) => {
    expect(fields(text)).toEqual(expected);
  });

  it("semicolon files (German Excel) with the delimiter sniffed from the header", () => {
    expect(sniffDelimiter('Artikel;Lager;"Bestand; Stück"')).toBe(";");
    expect(sniffDelimiter("sku,qty")).toBe(",");
    expect(fields('Artikel;Bestand\r\n"A;1";5\r\n', ";")).toEqual([
      ["Artikel", "Bestand"],
      ["A;1", "5"],
    ]);
  });

  it("numbers each record by the file line it starts on, multi-line fields included", () => {
    const records = parseCsv('h\r\n"two\r\nlines"\r\n\r\nlast\r\n');
    expect(records.map((r: { line: number }) => r.line)).toEqual([1, 2, 5]);
  });

  it("refuses an unterminated quote and text after a closing quote, naming the line", () => {
    expect(() => parseCsv('a\r\n"open\r\n')).toThrow(CsvError);
    expect(() => parseCsv('a\r\n"open\r\n')).toThrow(/line 2/);
    expect(() => parseCsv('a,b\r\n"x"y,1\r\n')).toThrow(/line 2: unexpected "y" after a closing quote/);
  });

  it("gives the same records however the input is cut into chunks (property)", () => {
    const cell = fc.string({ unit: fc.constantFrom("a", "b", ",", '"', "\r", "\n", "ü", " ", "x") });
    const table = fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(table, fc.array(fc.nat(40), { maxLength: 6 }), fc.constantFrom("\r\n", "\n"), (rows, cuts, eol) => {
        // Write the table the way RFC 4180 says (quote every field), then read it back in pieces.
        const text = rows.map((r) => r.map((c) => `"${c.replaceAll('"', '""')}"`).join(",")).join(eol) + eol;
        const parser = new CsvParser();
        const got: string[][] = [];
        let at = 0;
        for (const cut of [...cuts].sort((a, b) => a - b)) {
          for (const rec of parser.push(text.slice(at, Math.max(at, cut)))) got.push(rec.fields);
          at = Math.max(at, cut);
        }
        for (const rec of parser.push(text.slice(at))) got.push(rec.fields);
        for (const rec of parser.end()) got.push(rec.fields);
        expect(got).toEqual(rows);
      }),
      { numRuns: 300 },
    );
  });
});
