import { exportJWK, generateKeyPair } from "jose";
import { afterEach, describe, expect, it, vi } from "vitest";
import { callWith, result, uniqueName } from "./helpers";

afterEach(() => vi.restoreAllMocks());

async function otherSigningKeys(): Promise<{ JWT_SIGNING_KEYS: string }> {
  const { privateKey } = await generateKeyPair("ES256", { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: `other-${crypto.randomUUID()}`, alg: "ES256" };
  return { JWT_SIGNING_KEYS: JSON.stringify({ keys: [jwk] }) };
}

function accountsLogged(): string[] {
  const accounts: string[] = [];
  vi.spyOn(console, "log").mockImplementation((line: unknown) => {
    const parsed = JSON.parse(String(line)) as Record<string, unknown>;
    if (parsed.type === "auth" && typeof parsed.account === "string") accounts.push(parsed.account);
  });
  return accounts;
}

const hex = (bytes: ArrayBuffer) => [...new Uint8Array(bytes)].map((byte) => byte.toString(16).padStart(2, "0")).join("");

describe("pseudonyms and per-IP keys are keyed HMACs", () => {
  it("a log pseudonym cannot be recomputed from the identifier alone, and depends on the service's key", async () => {
    const username = uniqueName("ghost");
    const accounts = accountsLogged();
    const body = { body: { username, password: "wrong" } };
    await callWith({}, "POST", "/auth/v1/signin", body);
    await callWith({}, "POST", "/auth/v1/signin", body);
    await callWith(await otherSigningKeys(), "POST", "/auth/v1/signin", body);
    expect(accounts).toHaveLength(3);
    expect(accounts[0]).toMatch(/^h:[0-9a-f]{16}$/);
    expect(accounts[1]).toBe(accounts[0]);
    expect(accounts[2]).not.toBe(accounts[0]);
    const unkeyed = hex(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`edge-signin:username:${username}`)));
    expect(accounts[0]).not.toBe(`h:${unkeyed.slice(0, 16)}`);
  });

  it("the per-IP window of an address is keyed by the service's key", async () => {
    const ip = `192.0.2.${1 + Math.floor(Math.random() * 250)}`;
    const vars = { IP_FAILURES_PER_HOUR: "1" };
    const attempt = (extra: Record<string, string>) =>
      callWith({ ...vars, ...extra }, "POST", "/auth/v1/signin", {
        body: { username: uniqueName("spray"), password: "guess" },
        headers: { "cf-connecting-ip": ip },
      }).then(result);
    expect(await attempt({})).toMatchObject({ status: 400 });
    expect(await attempt({})).toMatchObject({ status: 429 });
    expect(await attempt(await otherSigningKeys())).toMatchObject({ status: 400 });
  });
});
