import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { OdooRpc } from "./odoo-rpc.ts";

/**
 * What every capture script starts with: its command line (`--url --db --login --password --out`),
 * an RPC client to the live Odoo, and `save(name)`, which writes the client's last exchange to
 * `<out>/<name>.json`; and the options themselves. Exits with the usage line when an option is missing.
 */
export interface CaptureOptions {
  url: string;
  db: string;
  login: string;
  password: string;
  out: string;
}

export function captureSession(script: string): { rpc: OdooRpc; save: (name: string) => void; options: CaptureOptions } {
  const { values } = parseArgs({
    options: { url: { type: "string" }, db: { type: "string" }, login: { type: "string" }, password: { type: "string" }, out: { type: "string" } },
  });
  if (!values.url || !values.db || !values.login || !values.password || !values.out) {
    console.error(`usage: ${script} --url … --db … --login … --password … --out <dir>`);
    process.exit(2);
  }
  const options = { url: values.url, db: values.db, login: values.login, password: values.password, out: values.out };
  const out = options.out;
  mkdirSync(out, { recursive: true });
  const rpc = new OdooRpc({ url: values.url, db: values.db, login: values.login, password: values.password });
  const save = (name: string): void => {
    if (!rpc.last) throw new Error(`nothing to save for ${name}`);
    writeFileSync(join(out, `${name}.json`), `${JSON.stringify(rpc.last, null, 2)}\n`);
  };
  return { rpc, save, options };
}
