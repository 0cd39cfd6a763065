import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative, sep } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * STYLE.md point 11: entry points on top calling down, nothing below importing upward, each shop
 * platform in one folder behind the registry. Read from the import statements of worker/*.ts.
 */
const WORKER = join(import.meta.dirname, "../../worker");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === "cli" || e.name === "migrations" ? [] : sources(path);
    return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [path] : [];
  });
}

/** Every relative import as [importing file, imported file], both relative to worker/. */
function imports(): Array<[string, string]> {
  return sources(WORKER).flatMap((file) =>
    [...readFileSync(file, "utf8").matchAll(/from "(\.[^"]+)"/g)].map(([, spec = ""]): [string, string] => {
      const target = normalize(join(dirname(file), spec));
      const resolved = existsSync(`${target}.ts`) ? `${target}.ts` : join(target, "index.ts");
      return [relative(WORKER, file), relative(WORKER, resolved)];
    }),
  );
}

/** The entry points (worker/*.ts and the routes) form the top layer; every other folder is one unit. */
const unit = (path: string): string => {
  const [head = "", ...rest] = path.split(sep);
  return rest.length === 0 || head === "routes" ? "entry" : head;
};

describe("worker layout", () => {
  const edges = imports();

  it("nothing below the entry points imports them", () => {
    const upward = edges.filter(([from, to]) => unit(from) !== "entry" && unit(to) === "entry");
    expect(upward).toEqual([]);
  });

  it("no two folders import each other, except the ERP connectors' known knots", () => {
    const pairs = new Set(edges.map(([from, to]) => `${unit(from)} -> ${unit(to)}`).filter((p) => !p.startsWith("entry") && !p.endsWith("entry")));
    const mutual = [...pairs].filter((p) => {
      const [a, b] = p.split(" -> ");
      return a !== b && pairs.has(`${b} -> ${a}`);
    });
    // Left for the ERP side: connectors use the order model and settings while orders read connector
    // settings; outbound/fetch.ts throws the connectors' RemoteError.
    expect(mutual.sort()).toEqual(["connectors -> orders", "connectors -> outbound", "orders -> connectors", "outbound -> connectors"]);
  });

  it("a shop platform's folder is reached only through the registry", () => {
    const names = readdirSync(join(WORKER, "platforms"), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    expect(names.length).toBeGreaterThanOrEqual(2);
    const reachIn = edges.filter(([from, to]) => {
      const platform = names.find((n) => to.startsWith(join("platforms", n) + sep));
      return platform !== undefined && !from.startsWith(join("platforms", platform) + sep) && from !== join("platforms", "registry.ts");
    });
    expect(reachIn).toEqual([]);
  });
});
