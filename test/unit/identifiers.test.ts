import { describe, expect, it } from "vitest";
import { canonicalMailbox, normalizeEmail, normalizePhone, parseSigninIdentifier, usernameKey } from "../../src/auth/identifiers";
import { consume, expireWindowReservations, reserve, settleReservation, verdict } from "../../src/limits/fixed-window";

describe("phone numbers", () => {
  it.each([
    ["+86 13800138000", "+86 13800138000"],
    ["+8613800138000", "+86 13800138000"],
    ["+85 251234567", "+852 51234567"],
    ["+1 650 253 0000", "+1 6502530000"],
  ])("normalises %s to %s", (raw, expected) => expect(normalizePhone(raw)).toBe(expected));

  it.each(["+86 123", "13800138000", "+86 1380013800a", "+999 12345678", ""])("refuses %j", (raw) =>
    expect(normalizePhone(raw)).toBeUndefined(),
  );
});

describe("emails", () => {
  it("are trimmed and lower-cased as a whole", () => expect(normalizeEmail("  Zhang.San@Example.COM ")).toBe("zhang.san@example.com"));
  it.each(["no-at", "a@b", "a b@c.d", "@x.com", "a@x..com", "a@.x.com", "a@x.com..", "a\u200b@x.com", "a@x\u202e.com", "a\ud800@x.com"])(
    "refuses %j",
    (raw) => expect(normalizeEmail(raw)).toBeUndefined(),
  );
  it("drops one trailing dot of the domain", () => expect(normalizeEmail("A@Example.com.")).toBe("a@example.com"));
  it.each([
    ["user+news@example.com", "user@example.com"],
    ["user+a+b@example.com", "user@example.com"],
    ["user@example.com", "user@example.com"],
    ["+tag@example.com", "+tag@example.com"],
  ])("%s has the canonical mailbox %s", (email, mailbox) => expect(canonicalMailbox(email)).toBe(mailbox));
});

describe("sign-in identifiers", () => {
  it("keeps usernames exact and looks an email-shaped username up as that email (the key usernameKey gives)", () => {
    expect(parseSigninIdentifier("Zhang")).toEqual({ key: "Zhang", normalized: "username:Zhang" });
    expect(parseSigninIdentifier("Zhang@Example.com")).toEqual({ key: "zhang@example.com", normalized: "email:zhang@example.com" });
    expect(parseSigninIdentifier("Zhang@Example.com")?.key).toBe(usernameKey("Zhang@Example.com"));
    expect(usernameKey("a@b")).toBe("a@b");
    expect(usernameKey("A@B.c.")).toBe("a@b.c");
  });

  it("reads phone numbers in either form", () => {
    expect(parseSigninIdentifier("+8613800138000")?.key).toBe("+86 13800138000");
  });

  it("refuses what is none of them", () => {
    expect(parseSigninIdentifier("_x")).toBeUndefined();
    expect(parseSigninIdentifier("张三")).toBeUndefined();
  });
});

describe("fixed windows", () => {
  const rule = { limit: 2, windowMs: 1000 };
  it("allows up to the limit, then says how long to wait, then starts over", () => {
    let state = consume(undefined, rule, 0).state;
    state = consume(state, rule, 100).state;
    expect(consume(state, rule, 200).verdict).toEqual({ allowed: false, count: 2, retryAfterSeconds: 1 });
    expect(consume(state, rule, 1000).verdict.allowed).toBe(true);
  });

  it("counts pending reservations against the limit, and settles them as events or not", () => {
    const first = reserve(undefined, [], rule, "a", 0);
    const second = reserve(first.state, first.reservations, rule, "b", 0);
    expect(reserve(second.state, second.reservations, rule, "c", 0).verdict.allowed).toBe(false);
    const settled = settleReservation(second.state, second.reservations, rule, "a", false, 10);
    expect(verdict({ ...settled.state, count: settled.state.count + settled.reservations.length }, rule, 10).allowed).toBe(true);
  });

  it("counts a reservation that expired unsettled as an event", () => {
    const held = reserve(undefined, [], rule, "a", 0);
    expect(expireWindowReservations(held.state, held.reservations, rule, 999)).toMatchObject({ state: { count: 0 }, reservations: [{ id: "a" }] });
    const late = reserve(undefined, [{ id: "a", expiresAt: 100 }], { limit: 2, windowMs: 60_000 }, "b", 200);
    expect(late.state.count).toBe(1);
  });
});
