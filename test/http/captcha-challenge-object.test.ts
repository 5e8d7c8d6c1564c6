import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { newChallenge, openTestChallenge } from "./captcha-helpers";
import { post } from "./helpers";

const challengeObject = (nonce: string) => env.CAPTCHA_CHALLENGES.get(env.CAPTCHA_CHALLENGES.idFromName(nonce));

describe("the CaptchaChallenge Durable Object", () => {
  it("holds nothing until a try is made", async () => {
    const { nonce } = await openTestChallenge(await newChallenge());
    const stored = await runInDurableObject(challengeObject(nonce), (_instance, state) => state.storage.list());
    expect(stored.size).toBe(0);
  });

  it("is forgotten by an alarm at the challenge's expiry plus the captcha token's lifetime", async () => {
    const token = await newChallenge();
    const challenge = await openTestChallenge(token);
    expect((await post("/auth/v1/captcha/data/verify", { token, key: challenge.answer })).status).toBe(200);
    const stub = challengeObject(challenge.nonce);
    expect(await runInDurableObject(stub, (_instance, state) => state.storage.getAlarm())).toBe(challenge.expiresAt + 10_000);
    expect(await runInDurableObject(stub, (_instance, state) => state.storage.get("state"))).toEqual({
      triesLeft: 2,
      solved: true,
      redeemed: false,
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const stored = await runInDurableObject(stub, (_instance, state) => state.storage.list());
    expect(stored.size).toBe(0);
  });
});
