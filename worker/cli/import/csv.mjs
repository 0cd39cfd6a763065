/**
 * An RFC 4180 CSV parser that takes its input in chunks (so a 100,000-row file never has to be one
 * string): quoted fields, `""` as an escaped quote, CRLF / LF / CR line ends (also inside quoted
 * fields), a leading UTF-8 BOM, blank lines skipped. Every record carries the file line it starts
 * on, so errors can name it.
 *
 * @example
 * const parser = new CsvParser();
 * for (const rec of parser.push('sku,qty\r\n"A,1",2\r\n')) console.log(rec.line, rec.fields); // 1 ['sku','qty'] then 2 ['A,1','2']
 * parser.end();
 */
export class CsvError extends Error {
  constructor(message, line) {
    super(`line ${line}: ${message}`);
    this.line = line;
  }
}

export class CsvParser {
  #delimiter;
  #field = "";
  #fields = [];
  #inQuotes = false;
  /** A quote seen inside quotes whose meaning (escape or end) depends on the next character. */
  #quotePending = false;
  /** The field was quoted and has closed: only a delimiter or a line end may follow. */
  #closed = false;
  #pendingCR = false;
  #quotedCR = false;
  #line = 1;
  #recordLine = 1;
  #started = false;
  #bomChecked = false;

  constructor({ delimiter = "," } = {}) {
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === "\n" || delimiter === "\r")
      throw new Error("the delimiter must be one character, not a quote or line end");
    this.#delimiter = delimiter;
  }

  /** Feeds a chunk; answers the records it completed. */
  push(chunk) {
    const out = [];
    let s = chunk;
    if (!this.#bomChecked && s.length > 0) {
      this.#bomChecked = true;
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    }
    const d = this.#delimiter;
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      if (this.#pendingCR) {
        this.#pendingCR = false;
        if (c === "\n") continue; // the LF of a CRLF already ended the record
      }
      if (this.#quotePending) {
        this.#quotePending = false;
        if (c === '"') {
          this.#field += '"';
          continue;
        }
        this.#inQuotes = false;
        this.#closed = true;
      }
      if (this.#inQuotes) {
        if (c === '"') this.#quotePending = true;
        else {
          // A line break inside a quoted field: CRLF counts once, even split across chunks.
          if (c === "\r" || (c === "\n" && !this.#quotedCR)) this.#line++;
          this.#quotedCR = c === "\r";
          this.#field += c;
        }
        continue;
      }
      if (c === d) {
        this.#fields.push(this.#field);
        this.#field = "";
        this.#closed = false;
        this.#started = true;
        continue;
      }
      if (c === "\n" || c === "\r") {
        this.#endRecord(out);
        this.#line++;
        this.#recordLine = this.#line;
        if (c === "\r") this.#pendingCR = true;
        continue;
      }
      if (this.#closed) throw new CsvError(`unexpected "${c}" after a closing quote`, this.#line);
      if (c === '"' && this.#field === "") {
        this.#inQuotes = true;
        this.#started = true;
        continue;
      }
      // Fast path: copy the run of plain characters up to the next delimiter, quote or line end.
      let j = i;
      while (j < s.length) {
        const x = s[j];
        if (x === d || x === "\n" || x === "\r" || x === '"') break;
        j++;
      }
      if (j > i) {
        this.#field += s.slice(i, j);
        this.#started = true;
        i = j - 1;
      } else {
        // A quote inside an unquoted field: taken literally, as most exporters mean it.
        this.#field += c;
      }
    }
    return out;
  }

  /** Ends the input; answers the last record, if the file did not end with a line break. */
  end() {
    if (this.#quotePending) {
      this.#quotePending = false;
      this.#inQuotes = false;
    }
    if (this.#inQuotes) throw new CsvError("a quoted field is never closed", this.#recordLine);
    const out = [];
    this.#endRecord(out);
    return out;
  }

  #endRecord(out) {
    if (this.#started || this.#field !== "" || this.#fields.length > 0) {
      this.#fields.push(this.#field);
      out.push({ line: this.#recordLine, fields: this.#fields });
    }
    this.#fields = [];
    this.#field = "";
    this.#closed = false;
    this.#started = false;
  }
}

/** Parses a whole string; answers records with their line numbers. */
export function parseCsv(text, options) {
  const p = new CsvParser(options);
  return [...p.push(text), ...p.end()];
}

/** Guesses the delimiter from a header line: the most frequent of `,` `;` tab, outside quotes. */
export function sniffDelimiter(headerLine) {
  const counts = { ",": 0, ";": 0, "\t": 0 };
  let quoted = false;
  for (const c of headerLine) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && c in counts) counts[c]++;
  }
  const [best, n] = Object.entries(counts).sort((a, b) => b[1] - a[1])[0];
  return n > 0 ? best : ",";
}
