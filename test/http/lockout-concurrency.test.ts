import { describe, expect, it } from "vitest";
import { captchaToken } from "./captcha-helpers";
import { callWith, createUser, uniqueName } from "./helpers";

async function attempt(username: string, password: string, captcha?: string) {
  const path = captcha ? `/auth/v1/signin?captcha_token=${captcha}` : "/auth/v1/signin";
  // Through app.fetch in this isolate, so the requests really run concurrently (the Worker's own
  // fetch handler is entered one request at a time from tests).
  const response = await callWith({}, "POST", path, { body: { username, password } });
  return { status: response.status, error: ((await response.json()) as { error?: string }).error };
}

const count = (answers: { error?: string }[], error: string) => answers.filter((a) => a.error === error).length;

describe("concurrent attempts on one account", () => {
  it("evaluate at most CAPTCHA_AFTER_FAILURES passwords out of 100 parallel wrong ones", async () => {
    const username = uniqueName();
    await createUser({ username, password: "right password" });
    const answers = await Promise.all(Array.from({ length: 100 }, () => attempt(username, "wrong")));
    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    expect(answers.filter((a) => a.status === 200)).toEqual([]);
    expect(count(answers, "invalid_username_or_password")).toBeLessThanOrEqual(3);
    expect(count(answers, "invalid_username_or_password") + count(answers, "captcha_required")).toBe(100);
    // Every reservation was settled: exactly the evaluated failures remain.
    expect((await attempt(username, "wrong")).error).toBe("captcha_required");
  });

  it("lock at exactly LOCK_AFTER_FAILURES evaluated failures however many race", async () => {
    const username = uniqueName();
    await createUser({ username, password: "right password" });
    for (let i = 0; i < 3; i++) expect((await attempt(username, "wrong")).error).toBe("invalid_username_or_password");
    const tokens = await Promise.all(Array.from({ length: 20 }, () => captchaToken()));
    const answers = await Promise.all(tokens.map((token) => attempt(username, "wrong", token)));
    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    expect(count(answers, "invalid_username_or_password")).toBe(7);
    expect(count(answers, "invalid_status")).toBe(13);
    expect(await attempt(username, "right", await captchaToken())).toEqual({ status: 400, error: "invalid_status" });
  });
});
