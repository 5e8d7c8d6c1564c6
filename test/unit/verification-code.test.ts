import { describe, expect, it } from "vitest";
import { generateCode, hashCode, hashSecret } from "../../src/auth/verification-code";

describe("generateCode", () => {
  it("zero-pads to six digits", () => {
    expect(generateCode(() => 42)).toBe("000042");
    expect(generateCode(() => 999_999)).toBe("999999");
    expect(generateCode(() => 1_000_000)).toBe("000000");
  });

  it("draws again above the largest multiple of 10^6 below 2^32, so no code is favoured", () => {
    const limit = Math.floor(2 ** 32 / 1_000_000) * 1_000_000; // 4,294,000,000
    const draws = [2 ** 32 - 1, limit, limit - 1];
    expect(generateCode(() => draws.shift()!)).toBe(String((limit - 1) % 1_000_000).padStart(6, "0"));
    expect(draws).toEqual([]);
  });

  it("uses the CSPRNG by default: six digits, varied", () => {
    const codes = new Set(Array.from({ length: 200 }, () => generateCode()));
    for (const code of codes) expect(code).toMatch(/^[0-9]{6}$/);
    expect(codes.size).toBeGreaterThan(190);
  });
});

describe("hashCode and hashSecret", () => {
  it("hash a code keyed by its verification id: deterministic, and different for another id or code", async () => {
    const a = await hashCode("id-one", "123456");
    expect(a).toBe(await hashCode("id-one", "123456"));
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(await hashCode("id-two", "123456"));
    expect(a).not.toBe(await hashCode("id-one", "123457"));
    expect(a).not.toContain("123456");
  });

  it("hashSecret is SHA-256 in base64url", async () => {
    expect(await hashSecret("abc")).toBe("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
  });
});
