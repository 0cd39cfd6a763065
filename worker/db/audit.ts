import { z } from "zod";
import { AuditChange, type AuditEntry } from "../contract";

/** Who acted: a staff key (its id and holder's name), or the operator. */
export interface Actor {
  id: string;
  name: string;
}

export const OPERATOR: Actor = { id: "operator", name: "operator" };

export interface AuditRecord {
  shop: string;
  actor: Actor;
  /** e.g. "connector.changed", "delivery.replayed", "staff_key.issued". */
  action: string;
  /** What was acted on, e.g. "connector/erp", "delivery/dlv_…", "staff_key/sk_…". */
  target: string;
  changes: AuditChange[];
}

/** One audit entry, as a statement for the caller's batch: it is written with the change or not at all. */
export const auditStatement = (db: D1Database, r: AuditRecord, now: number): D1PreparedStatement =>
  db
    .prepare("INSERT INTO audit_log (shop_id, at, actor, actor_name, action, target, changes) VALUES (?, ?, ?, ?, ?, ?, ?)")
    .bind(r.shop, now, r.actor.id, r.actor.name, r.action, r.target, JSON.stringify(r.changes));

const Row = z.object({
  at: z.number(),
  actor: z.string(),
  actor_name: z.string(),
  action: z.string(),
  target: z.string(),
  changes: z.string().transform((s) => z.array(AuditChange).parse(JSON.parse(s))),
});

/** The shop's newest entries first. */
export async function listAudit(db: D1Database, shop: string, limit: number): Promise<AuditEntry[]> {
  const { results } = await db
    .prepare("SELECT at, actor, actor_name, action, target, changes FROM audit_log WHERE shop_id = ? ORDER BY id DESC LIMIT ?")
    .bind(shop, limit)
    .all();
  return results.map((raw) => {
    const r = Row.parse(raw);
    return { at: new Date(r.at).toISOString(), actor: r.actor, actorName: r.actor_name, action: r.action, target: r.target, changes: r.changes };
  });
}
