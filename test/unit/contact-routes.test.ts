import { describe, expect, it } from "vitest";
import { ContactRoutes } from "../../src/storage/contact-routes";

const routes = new ContactRoutes("route secret for tests");
const phone = { kind: "phone" as const, value: "+86 13800138000" };

describe("routed secrets", () => {
  it("carry their contact sealed, then a dot and 256 random bits: URL-safe, and never the same twice", async () => {
    const secret = await routes.routedSecret(phone);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{40,}\.[A-Za-z0-9_-]{43}$/);
    expect(secret).not.toContain("13800138000");
    expect(encodeURIComponent(secret)).toBe(secret);
    expect(await routes.routedSecret(phone)).not.toBe(secret);
    expect(await routes.contactOf(secret)).toEqual(phone);
  });

  it("name no contact when sealed under another secret (a signing-key rotation) or altered", async () => {
    const secret = await routes.routedSecret(phone);
    expect(await new ContactRoutes("another secret").contactOf(secret)).toBeUndefined();
    const [route, random] = secret.split(".");
    const flipped = route!.slice(0, 10) + (route![10] === "A" ? "B" : "A") + route!.slice(11);
    expect(await routes.contactOf(`${flipped}.${random}`)).toBeUndefined();
  });

  it.each([
    ["no dot", "A".repeat(43)],
    ["a short secret", `${"A".repeat(60)}.${"A".repeat(42)}`],
    ["a padded secret", `${"A".repeat(60)}.${"A".repeat(42)}=`],
    ["a second dot", `${"A".repeat(60)}.${"A".repeat(21)}.${"A".repeat(21)}`],
    ["trailing text", `${"A".repeat(60)}.${"A".repeat(43)}\n`],
    ["a route that is not a box", `${"A".repeat(60)}.${"A".repeat(43)}`],
  ])("name no contact when they have %s", async (_case, secret) => {
    expect(await routes.contactOf(secret)).toBeUndefined();
  });
});
