import { describe, expect, it } from "vitest";
import { MicroCache } from "../../worker/http/micro-cache";

describe("MicroCache", () => {
  it("answers a value until its time to live is over", () => {
    const m = new MicroCache<string>(10);
    m.set("k", "v", 2_000, 1_000);
    expect(m.get("k", 1_000)).toBe("v");
    expect(m.get("k", 2_999)).toBe("v");
    expect(m.get("other", 1_000)).toBeUndefined();
  });

  it("after expiry sends exactly one caller to refresh while the others keep the old value for at most one more TTL", () => {
    const m = new MicroCache<string>(10);
    m.set("k", "old", 2_000, 0);
    expect(m.get("k", 2_000)).toBeUndefined(); // the refresher
    expect(m.get("k", 2_001)).toBe("old");
    expect(m.get("k", 3_999)).toBe("old");
    // The refresher never came back: after one more TTL the value is gone for everyone.
    expect(m.get("k", 4_000)).toBeUndefined();
    expect(m.get("k", 4_001)).toBeUndefined();
  });

  it("serves the refreshed value once set", () => {
    const m = new MicroCache<string>(10);
    m.set("k", "old", 1_000, 0);
    expect(m.get("k", 1_500)).toBeUndefined();
    m.set("k", "new", 1_000, 1_600);
    expect(m.get("k", 1_700)).toBe("new");
  });

  it("stores nothing for a time to live of zero or less", () => {
    const m = new MicroCache<string>(10);
    m.set("k", "v", 0, 0);
    m.set("j", "v", -5, 0);
    expect(m.size).toBe(0);
  });

  it("drops the oldest entries beyond its bound", () => {
    const m = new MicroCache<number>(3);
    for (let i = 0; i < 5; i++) m.set(`k${i}`, i, 10_000, 0);
    expect(m.size).toBe(3);
    expect(m.get("k0", 1)).toBeUndefined();
    expect(m.get("k1", 1)).toBeUndefined();
    expect(m.get("k4", 1)).toBe(4);
  });

  it("forgets one group (a shop's keys, `shop\n…`) and nothing else, also after evictions", () => {
    const m = new MicroCache<number>(3);
    m.set("a\n[1]", 1, 1_000, 0);
    m.set("ab\n[1]", 2, 1_000, 0);
    m.set("a\n[2]", 3, 1_000, 0);
    m.deleteGroup("a");
    expect([m.get("a\n[1]", 1), m.get("a\n[2]", 1), m.get("ab\n[1]", 1)]).toEqual([undefined, undefined, 2]);
    expect(m.size).toBe(1);
    // Beyond `max` the oldest go first; a group forgotten afterwards holds only what is left.
    for (let i = 0; i < 5; i++) m.set(`c\n[${i}]`, i, 1_000, 0);
    expect(m.size).toBe(3);
    m.deleteGroup("ab");
    expect(m.size).toBe(3);
    m.deleteGroup("c");
    expect(m.size).toBe(0);
    m.set("c\n[9]", 9, 1_000, 0);
    expect(m.get("c\n[9]", 1)).toBe(9);
  });
});
