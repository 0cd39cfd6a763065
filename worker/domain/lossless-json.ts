/**
 * `JSON.parse` that keeps big integers exact: every integer literal of 16 or more digits (outside
 * strings) becomes a string before parsing, so a Shopify id like 820982911946154508 arrives as
 * "820982911946154508" instead of the float 820982911946154500.
 *
 * @example
 * parseLossless('{"id":820982911946154508,"qty":2}') // → { id: "820982911946154508", qty: 2 }
 */
export function parseLossless(text: string): unknown {
  return JSON.parse(quoteBigIntegers(text));
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= "0" && c <= "9";

function quoteBigIntegers(text: string): string {
  let out = "";
  let i = 0;
  let copiedTo = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      // Skip the string, honouring escapes.
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
      i++;
      continue;
    }
    if (c === "-" || isDigit(c)) {
      const start = i;
      if (c === "-") i++;
      while (isDigit(text[i])) i++;
      const integerEnd = i;
      const isInteger = text[i] !== "." && text[i] !== "e" && text[i] !== "E";
      while (i < text.length && /[0-9.eE+-]/.test(text[i] ?? "")) i++;
      const digits = integerEnd - start - (c === "-" ? 1 : 0);
      if (isInteger && digits >= 16) {
        out += `${text.slice(copiedTo, start)}"${text.slice(start, integerEnd)}"`;
        copiedTo = integerEnd;
      }
      continue;
    }
    i++;
  }
  return out + text.slice(copiedTo);
}
