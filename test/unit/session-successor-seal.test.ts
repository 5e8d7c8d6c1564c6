import { describe, expect, it } from "vitest";
import { openSuccessor, sealSuccessor } from "../../src/auth/successor-seal";
import { randomToken } from "../../src/crypto/random";

describe("successor seal", () => {
  it("opens for the previous token and the same row only", async () => {
    const previous = randomToken(32);
    const successor = randomToken(32);
    const sealed = await sealSuccessor(previous, "row-hash", successor);
    expect(sealed).not.toContain(successor);
    expect(await openSuccessor(previous, "row-hash", sealed)).toBe(successor);
    expect(await openSuccessor(randomToken(32), "row-hash", sealed)).toBeUndefined();
    expect(await openSuccessor(previous, "other-row", sealed)).toBeUndefined();
  });

  it("uses a fresh IV each time, so sealing twice differs", async () => {
    const previous = randomToken(32);
    const successor = randomToken(32);
    expect(await sealSuccessor(previous, "h", successor)).not.toBe(await sealSuccessor(previous, "h", successor));
  });

  it("refuses tampered, truncated and non-base64url values", async () => {
    const previous = randomToken(32);
    const sealed = await sealSuccessor(previous, "h", randomToken(32));
    const flipped = (sealed[20] === "A" ? "B" : "A");
    expect(await openSuccessor(previous, "h", `${sealed.slice(0, 20)}${flipped}${sealed.slice(21)}`)).toBeUndefined();
    expect(await openSuccessor(previous, "h", sealed.slice(0, 16))).toBeUndefined();
    expect(await openSuccessor(previous, "h", "")).toBeUndefined();
    expect(await openSuccessor(previous, "h", "!!!")).toBeUndefined();
  });
});
