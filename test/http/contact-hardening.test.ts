import { afterEach, describe, expect, it, vi } from "vitest";
import { admin, jsonOf, result } from "./helpers";
import { codeLines, consoleLog, postWith, requestCode, sendCode, verifyCode } from "./verification-helpers";

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const local = () => `h${crypto.randomUUID().slice(0, 10)}`;

describe("contacts with invisible or ambiguous characters", () => {
  it.each([
    ["a NUL", "\u0000"],
    ["a line feed", "\n"],
    ["a zero-width space", "\u200b"],
    ["a right-to-left override", "\u202e"],
    ["a first-strong isolate", "\u2068"],
    ["a soft hyphen", "\u00ad"],
    ["a byte-order mark", "\ufeff"],
  ])("refuses an email with %s (400, counting nothing)", async (_label, char) => {
    consoleLog();
    const name = local();
    const answer = await result(await sendCode({ email: `${name}${char}@example.com` }));
    expect(answer).toMatchObject({ status: 400, body: { error: "invalid_argument", details: [{ path: "email" }] } });
    expect(codeLines().filter((line) => line.to.startsWith(name))).toEqual([]);
  });

  it("refuses an email with a lone surrogate", async () => {
    const raw = `{"email":"${local()}\\ud800@example.com"}`;
    const answer = await result(await postWith("/auth/v1/verification", undefined, { raw }));
    expect(answer).toMatchObject({ status: 400, body: { error: "invalid_argument", details: [{ path: "email" }] } });
  });

  it.each([["\u200b"], ["\u202e"], ["\u0000"]])("refuses a phone number with %j", async (char) => {
    const answer = await result(await sendCode({ phone_number: `+86 1390000${char}1234` }));
    expect(answer).toMatchObject({ status: 400, body: { error: "invalid_argument", details: [{ path: "phone_number" }] } });
  });

  it("strips a trailing dot from the domain: example.com. is example.com", async () => {
    consoleLog();
    const name = local();
    const { code, id } = await requestCode(`${name}@example.com`, {}, {});
    expect(code).toMatch(/^[0-9]{6}$/);
    expect((await verifyCode({ verification_id: id, verification_code: code })).status).toBe(200);
    const again = await result(await sendCode({ email: `${name}@example.com.` }));
    expect(again).toMatchObject({ status: 400, body: { error: "captcha_required" } });
    const empty = await result(await sendCode({ email: `${name}@example..com` }));
    expect(empty).toMatchObject({ status: 400, body: { error: "invalid_argument" } });
  });
});

describe("per-contact limits key on the canonical mailbox", () => {
  it("counts user+tag@ and USER@ against user@'s limits, while the code goes to the address as given", async () => {
    consoleLog();
    const name = local();
    const first = await sendCode({ email: `${name}+one@example.com` });
    expect(first.status).toBe(200);
    expect(codeLines().at(-1)).toMatchObject({ to: `${name}+one@example.com` });
    for (const variant of [`${name}+two@example.com`, `${name.toUpperCase()}@EXAMPLE.com`, `${name}@example.com`]) {
      const answer = await result(await sendCode({ email: variant }));
      expect(answer).toMatchObject({ status: 400, body: { error: "captcha_required" } });
    }
  });

  it("signs up the address the token was verified for, even after a send to another tag of the mailbox", async () => {
    consoleLog();
    const name = local();
    const { id, code } = await requestCode(`${name}+one@example.com`, { usage: "REGISTER" });
    const verified = await jsonOf<{ verification_token: string }>(await verifyCode({ verification_id: id, verification_code: code }));
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 61_000);
    await requestCode(`${name}+two@example.com`, { usage: "REGISTER" });
    const signup = await result(await postWith("/auth/v1/signup", { verification_token: verified.verification_token }));
    expect(signup.status).toBe(200);
    const user = await jsonOf(await admin("GET", `/auth/v1/admin/users/${String(signup.body.sub)}`));
    expect(user.email).toBe(`${name}+one@example.com`);
  });
});
