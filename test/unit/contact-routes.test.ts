import { describe, expect, it } from "vitest";
import { routedSecret, routeOf } from "../../src/storage/contact-routes";

const objectId = "c5ca6661fcfa0d83fef01fb183bbb7c8cf31970fb810f619c9d6781c4818b105";

describe("routed secrets", () => {
  it("are the object id, a dot and 256 random bits in base64url: URL-safe", () => {
    const secret = routedSecret(objectId);
    expect(secret).toMatch(/^[0-9a-f]{64}\.[A-Za-z0-9_-]{43}$/);
    expect(encodeURIComponent(secret)).toBe(secret);
    expect(routedSecret(objectId)).not.toBe(secret);
    expect(routeOf(secret)).toBe(objectId);
  });

  it.each([
    ["no dot", "A".repeat(43)],
    ["an upper-case id", `${objectId.toUpperCase()}.${"A".repeat(43)}`],
    ["a short secret", `${objectId}.${"A".repeat(42)}`],
    ["a padded secret", `${objectId}.${"A".repeat(42)}=`],
    ["a second dot", `${objectId}.${"A".repeat(21)}.${"A".repeat(21)}`],
    ["a short id", `${objectId.slice(1)}.${"A".repeat(43)}`],
    ["trailing text", `${objectId}.${"A".repeat(43)}\n`],
  ])("name no object when they have %s", (_case, secret) => {
    expect(routeOf(secret)).toBeUndefined();
  });
});
