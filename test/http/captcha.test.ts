import { afterEach, describe, expect, it, vi } from "vitest";
import { newChallengeNonce } from "../../src/captcha/captcha-tokens";
import { HEIGHT, WIDTH } from "../../src/captcha/image";
import { decodePng, pngOfDataUri } from "../unit/captcha-png-decode";
import {
  answerOf,
  captchaToken,
  KNOWN_ANSWER,
  knownChallenge,
  newChallenge,
  openTestChallenge,
  sealTestChallenge,
} from "./captcha-helpers";
import { callWith, createUser, post, result, signin, uniqueName } from "./helpers";

const verify = (token: string, key: string) => post("/auth/v1/captcha/data/verify", { token, key });
const CAPTCHA_INVALID = { status: 400, body: { error: "captcha_invalid", error_code: 4030 } };

/** A CAPTCHA_CHALLENGES binding whose objects cannot be reached, recording whether it was asked. */
function unreachableChallenges() {
  const asked: string[] = [];
  const fail = () => Promise.reject(new Error("Durable Object reset because its code was updated"));
  const binding = {
    idFromName: (name: string) => (asked.push(name), {}),
    get: () => ({ spendTry: fail, redeem: fail }),
  };
  return { binding, asked };
}

describe("image captcha", () => {
  afterEach(() => vi.restoreAllMocks());

  it("serves a PNG challenge that does not carry its answer as text", async () => {
    const response = await post("/auth/v1/captcha/data", { state: "abc", redirect_uri: "https://app.example" });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as Record<string, string | number>;
    expect(Object.keys(body).sort()).toEqual(["data", "expires_in", "token", "type"]);
    expect(body).toMatchObject({ type: "image", expires_in: 300 });
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{60,128}$/);
    expect(String(body.token)).not.toContain(await answerOf(String(body.token)));
    const picture = await decodePng(pngOfDataUri(String(body.data)));
    expect([picture.width, picture.height]).toEqual([WIDTH, HEIGHT]);
  });

  it("limits image challenges per IP (CAPTCHAS_PER_IP_PER_HOUR), an IPv6 client by its /64", async () => {
    const vars = { CAPTCHAS_PER_IP_PER_HOUR: "2" };
    const prefix = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:7`;
    const ask = (ip: string) => callWith(vars, "POST", "/auth/v1/captcha/data", { body: {}, headers: { "cf-connecting-ip": ip } });
    expect((await ask(`${prefix}::1`)).status).toBe(200);
    expect((await ask(`${prefix}::2`)).status).toBe(200);
    const limited = await ask(`${prefix}::3`);
    expect(await result(limited)).toMatchObject({ status: 429, body: { error: "rate_limit_exceeded", error_code: 4029 } });
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await ask(`2001:db8:ffff:${Math.floor(Math.random() * 0xffff).toString(16)}::1`)).status).toBe(200);
  });

  it("makes a challenge without touching D1 or the challenge's Durable Object (only the IP's window)", async () => {
    const failing = () => Promise.reject(new Error("D1_ERROR: Network connection lost."));
    const statement = { bind: () => statement, first: failing, all: failing, run: failing, raw: failing };
    const brokenDb = { prepare: () => statement, batch: failing, exec: failing };
    const challenges = unreachableChallenges();
    const response = await callWith({ DB: brokenDb, CAPTCHA_CHALLENGES: challenges.binding }, "POST", "/auth/v1/captcha/data", {
      body: {},
    });
    expect(response.status).toBe(200);
    const { token } = (await response.json()) as { token: string };
    expect(await openTestChallenge(token)).toMatchObject({ answer: expect.stringMatching(/^[A-Z0-9]{4}$/) });
    expect(challenges.asked).toEqual([]);
  });

  it("exchanges the right answer (any case, spaces ignored) for a captcha token that lives 10 s", async () => {
    const token = await newChallenge();
    const answer = await answerOf(token);
    const response = await verify(token, ` ${answer.slice(0, 2).toLowerCase()} ${answer.slice(2)}`);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await result(response)).body;
    expect(body).toEqual({ captcha_token: expect.stringMatching(/^[A-Za-z0-9_-]{40,128}$/), expires_in: 10 });
  });

  it("keeps the helpers' known-answer challenges working", async () => {
    expect((await verify(await knownChallenge(), KNOWN_ANSWER)).status).toBe(200);
  });

  it("answers a wrong key with captcha_invalid and kills the challenge after 3 tries", async () => {
    const token = await newChallenge();
    for (let i = 0; i < 3; i++) expect(await result(await verify(token, "WRONG"))).toMatchObject(CAPTCHA_INVALID);
    expect(await result(await verify(token, await answerOf(token)))).toMatchObject(CAPTCHA_INVALID);
  });

  it("still takes the right answer on the third try", async () => {
    const token = await newChallenge();
    for (let i = 0; i < 2; i++) expect((await verify(token, "WRONG")).status).toBe(400);
    expect((await verify(token, await answerOf(token))).status).toBe(200);
  });

  it("lets a solved challenge be exchanged only once", async () => {
    const token = await newChallenge();
    const answer = await answerOf(token);
    expect((await verify(token, answer)).status).toBe(200);
    expect(await result(await verify(token, answer))).toMatchObject(CAPTCHA_INVALID);
  });

  it("issues exactly one captcha token when the right answer arrives three times at once", async () => {
    const token = await newChallenge();
    const answer = await answerOf(token);
    const answers = await Promise.all([0, 1, 2].map(async () => result(await verify(token, answer))));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status !== 200).map((a) => [a.status, a.body.error])).toEqual([
      [400, "captcha_invalid"],
      [400, "captcha_invalid"],
    ]);
  });

  it("refuses a tampered challenge token as captcha_invalid without asking storage", async () => {
    const token = await newChallenge();
    const answer = await answerOf(token);
    const middle = Math.floor(token.length / 2);
    const tampered = `${token.slice(0, middle)}${token[middle] === "A" ? "B" : "A"}${token.slice(middle + 1)}`;
    const challenges = unreachableChallenges();
    const response = await callWith({ CAPTCHA_CHALLENGES: challenges.binding }, "POST", "/auth/v1/captcha/data/verify", {
      body: { token: tampered, key: answer },
    });
    expect(await result(response)).toMatchObject(CAPTCHA_INVALID);
    expect(challenges.asked).toEqual([]);
  });

  it("refuses an expired challenge as captcha_invalid without asking storage", async () => {
    const expired = await sealTestChallenge({ nonce: newChallengeNonce(), answer: "HKMW", expiresAt: Date.now() - 1 });
    const challenges = unreachableChallenges();
    const response = await callWith({ CAPTCHA_CHALLENGES: challenges.binding }, "POST", "/auth/v1/captcha/data/verify", {
      body: { token: expired, key: "HKMW" },
    });
    expect(await result(response)).toMatchObject(CAPTCHA_INVALID);
    expect(challenges.asked).toEqual([]);
    expect(await result(await verify(expired, "HKMW"))).toMatchObject(CAPTCHA_INVALID);
  });

  it("refuses a challenge sealed under another signing-key secret", async () => {
    const token = await newChallenge();
    const otherKeys = { JWT_SIGNING_KEYS: '{"keys":[{"kid":"other","alg":"ES256"}]}' };
    const response = await callWith(otherKeys, "POST", "/auth/v1/captcha/data/verify", { body: { token, key: await answerOf(token) } });
    expect(await result(response)).toMatchObject(CAPTCHA_INVALID);
  });

  it("answers 503 unavailable when the challenge's Durable Object cannot be reached", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const token = await newChallenge();
    const { binding } = unreachableChallenges();
    const response = await callWith({ CAPTCHA_CHALLENGES: binding }, "POST", "/auth/v1/captcha/data/verify", {
      body: { token, key: await answerOf(token) },
    });
    expect(await result(response)).toMatchObject({ status: 503, body: { error: "unavailable", error_code: 5030 } });
  });

  it("refuses malformed verify bodies with invalid_argument", async () => {
    expect(await result(await post("/auth/v1/captcha/data/verify", { token: 5, key: "x" }))).toMatchObject({
      status: 400,
      body: { error: "invalid_argument" },
    });
  });

  it("issues distinct tokens", async () => {
    const [a, b] = await Promise.all([captchaToken(), captchaToken()]);
    expect(a).not.toBe(b);
  });
});

describe("spending an image captcha token", () => {
  afterEach(() => vi.restoreAllMocks());

  /** A user whose next password attempt needs a captcha (3 failures). */
  async function needingCaptcha(): Promise<string> {
    const username = uniqueName();
    await createUser({ username, password: "pw-long-enough" });
    for (let i = 0; i < 3; i++) await signin({ username, password: "wrong" });
    return username;
  }

  const attempt = (username: string, token: string, vars?: Record<string, unknown>) => {
    const path = `/auth/v1/signin?captcha_token=${token}`;
    const body = { body: { username, password: "wrong" } };
    return vars ? callWith(vars, "POST", path, body) : post(path, body.body);
  };

  it("buys one attempt: the same token again is captcha_invalid", async () => {
    const username = await needingCaptcha();
    const token = await captchaToken();
    expect(await result(await attempt(username, token))).toMatchObject({
      status: 400,
      body: { error: "invalid_username_or_password" },
    });
    expect(await result(await attempt(username, token))).toMatchObject(CAPTCHA_INVALID);
  });

  it("refuses a tampered captcha token without asking storage", async () => {
    const username = await needingCaptcha();
    const token = await captchaToken();
    const tampered = `${token.slice(0, 10)}${token[10] === "A" ? "B" : "A"}${token.slice(11)}`;
    const challenges = unreachableChallenges();
    expect(await result(await attempt(username, tampered, { CAPTCHA_CHALLENGES: challenges.binding }))).toMatchObject(
      CAPTCHA_INVALID,
    );
    expect(challenges.asked).toEqual([]);
    // The real token is still unspent.
    expect((await result(await attempt(username, token))).body.error).toBe("invalid_username_or_password");
  });

  it("fails closed with 503 unavailable when the challenge's Durable Object cannot be reached", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const username = await needingCaptcha();
    const { binding } = unreachableChallenges();
    const response = await attempt(username, await captchaToken(), { CAPTCHA_CHALLENGES: binding });
    expect(await result(response)).toMatchObject({ status: 503, body: { error: "unavailable", error_code: 5030 } });
  });
});

describe("turnstile", () => {
  afterEach(() => vi.restoreAllMocks());

  it("tells the client to render the widget", async () => {
    const vars = { CAPTCHA_PROVIDER: "turnstile", TURNSTILE_SITE_KEY: "site-key-1", TURNSTILE_SECRET: "secret", TURNSTILE_HOSTNAMES: "app.example" };
    const response = await callWith(vars, "POST", "/auth/v1/captcha/data", { body: {} });
    expect(await result(response)).toEqual({ status: 200, body: { type: "turnstile", site_key: "site-key-1", action: "signin" } });
  });
});
