import { signedHeaders } from "./standard-webhooks.mjs";

/** A thin client for the operator and ERP routes, used by the CLI, the seed and the benchmarks. */
export class EdgeClient {
  constructor(baseUrl, { adminToken } = {}) {
    this.baseUrl = baseUrl.replace(/\/$/, "");
    this.adminToken = adminToken;
  }

  async #json(path, init) {
    const res = await fetch(`${this.baseUrl}${path}`, init);
    const text = await res.text();
    let body;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    return { status: res.status, body };
  }

  #admin(path, body, method = "POST") {
    return this.#json(path, {
      method,
      headers: { authorization: `Bearer ${this.adminToken}`, "content-type": "application/json" },
      ...(method === "GET" || method === "DELETE" ? {} : { body: JSON.stringify(body ?? {}) }),
    });
  }

  /** POST /v1/admin/data-plane/migrate?pages=N → one step of moving pools' data out of D1 (issue 17). */
  migratePools(pages) {
    return this.#admin(`/v1/admin/data-plane/migrate?pages=${pages}`);
  }

  /** POST /v1/admin/shops → { status, body: secrets | error }. */
  createShop(shop) {
    return this.#admin("/v1/admin/shops", shop);
  }

  /** POST /v1/admin/shops/:id/secrets → new secrets; the old ones stop working. */
  rotateSecrets(id) {
    return this.#admin(`/v1/admin/shops/${encodeURIComponent(id)}/secrets`);
  }

  /** POST /v1/admin/shops/:id/staff-keys → { id, name, scopes, key } (the key shown once). */
  addStaffKey(id, name, scopes) {
    return this.#admin(`/v1/admin/shops/${encodeURIComponent(id)}/staff-keys`, { name, scopes });
  }

  /** DELETE /v1/admin/shops/:id/staff-keys/:keyId → the revoked key. */
  revokeStaffKey(id, keyId) {
    return this.#admin(`/v1/admin/shops/${encodeURIComponent(id)}/staff-keys/${encodeURIComponent(keyId)}`, undefined, "DELETE");
  }

  /** GET /v1/admin/shops/:id/staff-keys → { keys }. */
  listStaffKeys(id) {
    return this.#admin(`/v1/admin/shops/${encodeURIComponent(id)}/staff-keys`, undefined, "GET");
  }

  /** GET /v1/admin/shops/:id/audit → { entries }, newest first. */
  audit(id, limit = 50) {
    return this.#admin(`/v1/admin/shops/${encodeURIComponent(id)}/audit?limit=${limit}`, undefined, "GET");
  }

  /** PUT /v1/admin/shops/:id/connectors/erp → { slot, kind, enabled }: where the edge pulls ERP truth from (operator only). */
  setErpConnector(id, settings, enabled = true) {
    return this.#admin(`/v1/admin/shops/${encodeURIComponent(id)}/connectors/erp`, { settings, enabled }, "PUT");
  }

  /** POST /v1/admin/shops/:id/connectors/erp/webhook-secret → { webhookSecret } (generated unless given). */
  setErpNextWebhookSecret(id, webhookSecret) {
    return this.#admin(`/v1/admin/shops/${encodeURIComponent(id)}/connectors/erp/webhook-secret`, webhookSecret ? { webhookSecret } : {});
  }

  /** GET /v1/admin/pools/:pool → { pool, channels: [{ shop, pool, platform, rules }] }. */
  pool(pool) {
    return this.#admin(`/v1/admin/pools/${encodeURIComponent(pool)}`, undefined, "GET");
  }

  /** PUT /v1/admin/pools/:pool/channels/:shop → the channel: the shop now sells the pool's stock. */
  joinPool(pool, shop, body = {}) {
    return this.#admin(`/v1/admin/pools/${encodeURIComponent(pool)}/channels/${encodeURIComponent(shop)}`, body, "PUT");
  }

  /** DELETE /v1/admin/pools/:pool/channels/:shop → the shop, a pool of one again. */
  leavePool(pool, shop) {
    return this.#admin(`/v1/admin/pools/${encodeURIComponent(pool)}/channels/${encodeURIComponent(shop)}`, undefined, "DELETE");
  }

  /** PUT /v1/admin/shops/:id/channel-rules → the channel with its new rules ({ warehouses, buffer, cap }). */
  setChannelRules(id, rules) {
    return this.#admin(`/v1/admin/shops/${encodeURIComponent(id)}/channel-rules`, rules, "PUT");
  }

  /** A signed ERP push; throws unless the edge answers 200. */
  async push(shop, erpSecret, resource, body) {
    const raw = JSON.stringify(body);
    const res = await this.#json(`/v1/erp/${encodeURIComponent(shop)}/${resource}`, {
      method: "POST",
      headers: { ...signedHeaders(erpSecret, raw), "content-type": "application/json" },
      body: raw,
    });
    if (res.status !== 200) throw new Error(`push ${resource}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** Waits until the edge answers /healthz, or throws after `timeoutMs`. */
  async waitUntilUp(timeoutMs = 30_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const res = await fetch(`${this.baseUrl}/healthz`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`edge at ${this.baseUrl} did not come up within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 150));
    }
  }
}
