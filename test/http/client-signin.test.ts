// The typed client against the real Worker: sign-in, errors, captcha retry, user, sign-out.
import { describe, expect, it, vi } from "vitest";
import { AuthError } from "../../src/client";
import { captchaToken } from "./captcha-helpers";
import { testClient } from "./client-helpers";
import { createUser, uniqueName } from "./helpers";

const PASSWORD = "correct horse battery";

async function newUser() {
  const username = uniqueName("client");
  const user = await createUser({ username, password: PASSWORD });
  return { username, sub: user.sub };
}

describe("AuthClient sign-in", () => {
  it("signs in, keeps the session in its storage, and reads the user", async () => {
    const { username, sub } = await newUser();
    const { client, storage } = testClient();
    const session = await client.signIn({ username, password: PASSWORD });
    expect(session).toMatchObject({ token_type: "Bearer", sub, expires_in: 7200 });
    expect(session.expires_at).toBeGreaterThan(Date.now());
    expect(JSON.parse(storage.get("edge-signin.session")!)).toEqual(session);
    const user = await client.getUser();
    expect(user).toMatchObject({ sub, username, has_password: true, status: "ACTIVE" });
  });

  it("surfaces a wrong password as an AuthError with the service's error string", async () => {
    const { username } = await newUser();
    const { client } = testClient();
    const failure = await client.signIn({ username, password: "wrong password" }).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(AuthError);
    expect(failure).toMatchObject({ error: "invalid_username_or_password", status: 400, extra: { errorCode: 4003 } });
    expect(await client.getSession()).toBeNull();
  });

  it("on captcha_required retries once with a token from getCaptchaToken", async () => {
    const { username, sub } = await newUser();
    const getCaptchaToken = vi.fn(async () => captchaToken());
    const { client, calls } = testClient({ getCaptchaToken });
    for (let i = 0; i < 3; i++) {
      await expect(client.signIn({ username, password: "wrong" })).rejects.toMatchObject({ error: "invalid_username_or_password" });
    }
    expect(getCaptchaToken).not.toHaveBeenCalled();
    calls.length = 0;

    const session = await client.signIn({ username, password: PASSWORD });
    expect(session.sub).toBe(sub);
    expect(getCaptchaToken).toHaveBeenCalledTimes(1);
    expect(getCaptchaToken).toHaveBeenCalledWith({ operation: "signIn" });
    const signins = calls.filter((call) => call.path === "/auth/v1/signin");
    expect(signins.map((call) => [call.status, call.captcha !== null])).toEqual([
      [400, false],
      [200, true],
    ]);
  });

  it("without getCaptchaToken, captcha_required is the error", async () => {
    const { username } = await newUser();
    const { client } = testClient();
    for (let i = 0; i < 3; i++) await client.signIn({ username, password: "wrong" }).catch(() => undefined);
    await expect(client.signIn({ username, password: PASSWORD })).rejects.toMatchObject({
      error: "captcha_required",
      extra: { errorCode: 4028 },
    });
  });

  it("retries only once: a second captcha_required (a bad token) is thrown", async () => {
    const { username } = await newUser();
    const getCaptchaToken = vi.fn(async () => "not-a-real-captcha-token");
    const { client } = testClient({ getCaptchaToken });
    for (let i = 0; i < 3; i++) await client.signIn({ username, password: "wrong" }).catch(() => undefined);
    await expect(client.signIn({ username, password: PASSWORD })).rejects.toMatchObject({ error: "captcha_invalid" });
    expect(getCaptchaToken).toHaveBeenCalledTimes(1);
  });

  it("signs out: the session is revoked at the service and forgotten locally", async () => {
    const { username } = await newUser();
    const { client, calls } = testClient();
    const session = await client.signIn({ username, password: PASSWORD });
    await client.signOut();
    expect(await client.getSession()).toBeNull();
    expect(calls.at(-1)).toMatchObject({ path: "/auth/v1/revoke", status: 200 });
    await expect(client.getUser()).rejects.toMatchObject({ error: "not_signed_in" });

    // The revoked session's tokens are dead at the service too.
    const other = testClient();
    await other.storage.set("edge-signin.session", JSON.stringify(session));
    await expect(other.client.getUser()).rejects.toMatchObject({ error: "invalid_grant" });
    expect(await other.client.getSession()).toBeNull();
  });
});
