// @cloudbase/oauth, unmodified: sudo, setPassword, deleteMe and revokeAllDevices against the Worker.
import { describe, expect, it } from "vitest";
import { openOauthApp } from "./clients";
import { makeUser, OTP_CODE, openWorld, PASSWORD, refreshWith, useBrowser } from "./world";

useBrowser();

const NEW_PASSWORD = "a brand new password";


describe("@cloudbase/oauth: sudo and setPassword", () => {
  it("sudo with the password, then setPassword: the new password works, this session stays", async () => {
    const { page } = openWorld();
    const user = await makeUser();
    const { oauth } = openOauthApp();
    await oauth.authApi.signIn({ username: user.username!, password: PASSWORD });

    const granted = await oauth.authApi.sudo({ password: PASSWORD });
    expect(granted).toMatchObject({ expires_in: 900 });
    await oauth.authApi.setPassword({ sudo_token: granted.sudo_token!, new_password: NEW_PASSWORD });

    expect(await oauth.authApi.getUserInfo()).toMatchObject({ sub: user.sub });
    expect(page.calls("/auth/v1/user/password")[0]!.method).toBe("PATCH");
    const other = openOauthApp();
    expect(await other.oauth.authApi.signIn({ username: user.username!, password: NEW_PASSWORD })).toMatchObject({ sub: user.sub });
  });

  it("sudo with a code sent to the current user's phone", async () => {
    const { phones } = openWorld();
    const user = await makeUser({ phone: phones[0] });
    const { oauth } = openOauthApp();
    await oauth.authApi.signIn({ username: user.username!, password: PASSWORD });

    const sent = await oauth.authApi.getVerification({ phone_number: phones[0] });
    const { verification_token } = await oauth.authApi.verify({ verification_id: sent.verification_id!, verification_code: OTP_CODE });
    await expect(oauth.authApi.sudo({ verification_token })).resolves.toMatchObject({ sudo_token: expect.any(String) });
  });

  it("a wrong password at sudo is invalid_username_or_password and leaves the client signed in", async () => {
    openWorld();
    const user = await makeUser();
    const { oauth } = openOauthApp();
    await oauth.authApi.signIn({ username: user.username!, password: PASSWORD });
    await expect(oauth.authApi.sudo({ password: "not the password" })).rejects.toMatchObject({ error: "invalid_username_or_password" });
    expect(await oauth.authApi.hasLoginState()).toBe(true);
  });

  it("solves the captcha for sudo after failed guesses, like sign-in", async () => {
    openWorld();
    const user = await makeUser();
    const { oauth, captcha } = openOauthApp();
    await oauth.authApi.signIn({ username: user.username!, password: PASSWORD });
    for (let i = 0; i < 3; i++) await expect(oauth.authApi.sudo({ password: "not the password" })).rejects.toBeTruthy();

    await expect(oauth.authApi.sudo({ password: PASSWORD })).resolves.toMatchObject({ sudo_token: expect.any(String) });
    expect(captcha.urls).toHaveLength(1);
  });
});

describe("@cloudbase/oauth: deleteMe and revokeAllDevices", () => {
  it("deleteMe with a sudo token in the query answers 200 {}; the refresh token is dead", async () => {
    const { page } = openWorld();
    const user = await makeUser();
    const { oauth } = openOauthApp();
    const { refresh_token } = await oauth.authApi.signIn({ username: user.username!, password: PASSWORD });

    const { sudo_token } = await oauth.authApi.sudo({ password: PASSWORD });
    await oauth.authApi.deleteMe({ sudo_token: sudo_token! });

    const [deleted] = page.calls("/auth/v1/user/me").filter((call) => call.method === "DELETE");
    expect(deleted!.status).toBe(200);
    expect(await refreshWith(page, refresh_token)).toMatchObject({ error: "invalid_grant" });
    await expect(oauth.authApi.getUserInfo()).rejects.toMatchObject({ error: "unauthenticated" });
    expect(await oauth.authApi.hasLoginState()).toBe(false);
  });

  it("revokeAllDevices ends every session; the client learns it on its next call", async () => {
    const { page } = openWorld();
    const user = await makeUser();
    const elsewhere = openOauthApp();
    const other = await elsewhere.oauth.authApi.signIn({ username: user.username!, password: PASSWORD });
    const { oauth } = openOauthApp();
    const mine = await oauth.authApi.signIn({ username: user.username!, password: PASSWORD });

    await oauth.authApi.revokeAllDevices();

    expect(page.calls("/auth/v1/user/revoke/all").map((call) => [call.method, call.status])).toEqual([["DELETE", 200]]);
    for (const tokens of [mine, other]) expect(await refreshWith(page, tokens.refresh_token)).toMatchObject({ error: "invalid_grant" });
    await expect(oauth.authApi.getUserInfo()).rejects.toMatchObject({ error: "unauthenticated" });
  });
});
