// The typed client against the real Worker: the account lifecycle.
import { describe, expect, it } from "vitest";
import { testClient } from "./client-helpers";
import { createUser, uniqueName } from "./helpers";
import { refresh } from "./sessions-helpers";
import { uniqueEmail, verifiedToken } from "./verification-helpers";

const PASSWORD = "typed client password";
const NEW_PASSWORD = "typed client new password";

async function signedInClient(fields: Record<string, unknown> = {}) {
  const username = uniqueName("tclient");
  await createUser({ username, password: PASSWORD, ...fields });
  const { client, storage } = testClient();
  const session = await client.signIn({ username, password: PASSWORD });
  return { client, storage, username, session };
}

describe("AuthClient account lifecycle", () => {
  it("sudo, setPassword, updateProfile", async () => {
    const { client, username } = await signedInClient();
    const { sudo_token } = await client.sudo({ password: PASSWORD });
    await client.setPassword({ sudo_token, new_password: NEW_PASSWORD });
    const user = await client.updateProfile({ name: "Typed", gender: "FEMALE" });
    expect(user).toMatchObject({ username, name: "Typed", gender: "FEMALE" });
    const again = testClient().client;
    await expect(again.signIn({ username, password: NEW_PASSWORD })).resolves.toMatchObject({ scope: "user" });
  });

  it("resetPassword with a verification token", async () => {
    const email = uniqueEmail();
    const { client, username } = await signedInClient({ email });
    await client.resetPassword({ verification_token: await verifiedToken(email, "PASSWORD_RESET"), new_password: NEW_PASSWORD });
    await expect(testClient().client.signIn({ username, password: NEW_PASSWORD })).resolves.toBeTruthy();
  });

  it("signOutSessions('global') ends every session and forgets this one", async () => {
    const { client, username } = await signedInClient();
    const other = await testClient().client.signIn({ username, password: PASSWORD });
    await client.signOutSessions("global");
    expect(await client.getSession()).toBeNull();
    expect((await refresh(other.refresh_token)).status).toBe(400);
  });

  it("deleteAccount with a sudo token", async () => {
    const { client, username, session } = await signedInClient();
    await client.deleteAccount((await client.sudo({ password: PASSWORD })).sudo_token);
    expect(await client.getSession()).toBeNull();
    expect((await refresh(session.refresh_token)).status).toBe(400);
    await expect(testClient().client.signIn({ username, password: PASSWORD })).rejects.toMatchObject({ error: "invalid_username_or_password" });
  });
});
