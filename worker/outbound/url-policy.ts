import { isPublicIpv4, isPublicIpv6, parseIpv4, parseIpv6 } from "./address";

/**
 * Where the edge may send a request of its own (ERP connectors, the generic ERP endpoint, the shop
 * platform's API): public https hosts only. Local mode (see `isLocalMode`) also allows plain http
 * and loopback/private hosts, where the fakes listen. The host is judged as the URL parser
 * normalises it, so `2130706433`, `0x7f.1` and `0177.0.0.1` are all 127.0.0.1.
 */

/** Names that never leave the local network (RFC 6761, RFC 6762, RFC 8375, ICANN's `.internal`). */
const LOCAL_NAME = /(^|\.)(localhost|local|internal|home\.arpa|localdomain)$/i;

export type UrlProblem = "not_a_url" | "scheme_not_allowed" | "credentials_in_url" | "host_not_public";

/** Why the edge must not call `raw`, or undefined when it may. */
export function outboundUrlProblem(raw: string, opts: { local: boolean }): UrlProblem | undefined {
  if (!URL.canParse(raw)) return "not_a_url";
  const url = new URL(raw);
  if (url.protocol !== "https:" && !(opts.local && url.protocol === "http:")) return "scheme_not_allowed";
  if (url.username !== "" || url.password !== "") return "credentials_in_url";
  if (opts.local) return undefined;
  return isPublicHost(url.hostname) ? undefined : "host_not_public";
}

/** A host name or address a public service can have (the hostname as `URL` gives it). */
export function isPublicHost(hostname: string): boolean {
  const host = hostname.replace(/\.$/, "").toLowerCase();
  if (host === "" || LOCAL_NAME.test(host)) return false;
  if (host.startsWith("[")) {
    const groups = parseIpv6(host.slice(1, -1));
    return groups !== undefined && isPublicIpv6(groups);
  }
  const v4 = parseIpv4(host);
  if (v4 !== undefined) return isPublicIpv4(v4);
  // A single label ("intranet", "odoo") only resolves inside some network.
  return host.includes(".");
}

export const URL_PROBLEM_MESSAGES: Record<UrlProblem, string> = {
  not_a_url: "is not a URL",
  scheme_not_allowed: "must use https",
  credentials_in_url: "may not carry credentials",
  host_not_public: "must name a public host (no loopback, private, link-local or local-only names)",
};
