// Users are read from a D1 read replica near the request. A replica that lags must never let a
// changed password, a blocked or a deleted user in: the account object's credential stamp sends
// such reads to the primary.
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { editProfile } from "../../src/auth/profile";
import { servicesFor } from "../../src/services";
import { admin, callWith, createUser, result, uniqueName } from "./helpers";
import { uniqueEmail, verifiedToken } from "./verification-helpers";
import { laggingReplica } from "./lagging-replica";
import { me, type Tokens } from "./sessions-helpers";

async function setUp() {
  const replica = laggingReplica();
  const username = uniqueName("lag");
  const user = await createUser({ username, password: "old password" });
  const signIn = (password: string) =>
    callWith({ DB: replica.DB }, "POST", "/auth/v1/signin", { body: { username, password } }).then(result);
  const first = await signIn("old password");
  expect(first.status).toBe(200);
  // The replica has seen the user as it was; from now on it serves that copy.
  replica.freeze();
  return { user, signIn, tokens: first.body as unknown as Tokens, replica };
}

describe("a lagging read replica", () => {
  it("does not let the old password in after a password change, and the new one works", async () => {
    const { user, signIn } = await setUp();
    expect((await admin("PATCH", `/auth/v1/admin/users/${user.sub}`, { password: "new password" })).status).toBe(200);
    expect(await signIn("old password")).toMatchObject({ status: 400, body: { error: "invalid_username_or_password" } });
    expect((await signIn("new password")).status).toBe(200);
  });

  it("does not let a blocked user in, and its old tokens are refused", async () => {
    const { user, signIn, tokens, replica } = await setUp();
    expect((await admin("PATCH", `/auth/v1/admin/users/${user.sub}`, { status: "BLOCKED" })).status).toBe(200);
    expect(await signIn("old password")).toMatchObject({ status: 400, body: { error: "invalid_status" } });
    const meThroughReplica = await callWith({ DB: replica.DB }, "GET", "/auth/v1/user/me", {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(meThroughReplica.status).toBe(401);
    expect((await me(tokens.access_token)).status).toBe(401);
  });

  it("does not let a deleted user in", async () => {
    const { user, signIn, tokens } = await setUp();
    expect((await admin("DELETE", `/auth/v1/admin/users/${user.sub}`)).status).toBe(204);
    expect(await signIn("old password")).toMatchObject({ status: 400, body: { error: "invalid_username_or_password" } });
    expect((await me(tokens.access_token)).status).toBe(401);
  });

  it("lets a user who was unblocked in again", async () => {
    const { user, signIn } = await setUp();
    await admin("PATCH", `/auth/v1/admin/users/${user.sub}`, { status: "BLOCKED" });
    await admin("PATCH", `/auth/v1/admin/users/${user.sub}`, { status: "ACTIVE" });
    expect((await signIn("old password")).status).toBe(200);
  });
});

describe("a lagging read replica and a contact that moved", () => {
  it("does not let a code for the old contact sign in the user who gave it up", async () => {
    const replica = laggingReplica();
    const [oldEmail, newEmail] = [uniqueEmail(), uniqueEmail()];
    const user = await createUser({ username: uniqueName("moved"), email: oldEmail });
    const codeSignIn = async () =>
      result(await callWith({ DB: replica.DB }, "POST", "/auth/v1/signin", { body: { verification_token: await verifiedToken(oldEmail) } }));
    expect((await codeSignIn()).status).toBe(200);
    // The replica has seen the user with the old email; then the user moves to another address.
    replica.freeze();
    await editProfile(servicesFor(env), user.sub, { email: newEmail });
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 61_000); // past the contact's cooldown for a new code
    try {
      expect(await codeSignIn()).toMatchObject({ status: 404, body: { error: "user_not_found" } });
    } finally {
      vi.useRealTimers();
    }
  });
});
