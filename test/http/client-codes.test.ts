// The typed client's code flows against the Worker: send, verify, sign up, sign in with a code.
import { afterEach, describe, expect, it, vi } from "vitest";
import { testClient } from "./client-helpers";
import { uniqueName } from "./helpers";

afterEach(() => {
  vi.useRealTimers();
});

describe("AuthClient verification codes", () => {
  it("sends a code, signs up with it, and later signs in with a new code", async () => {
    const email = `${uniqueName("code").toLowerCase()}@example.com`;
    const vars = { TEST_OTP: JSON.stringify({ [email]: "135790" }) };
    const { client } = testClient({}, [], vars);

    const sent = await client.sendVerification({ email, target: "NOT_USER" });
    expect(sent).toMatchObject({ is_user: false, expires_in: 600 });
    const { verification_token } = await client.verify({ verification_id: sent.verification_id, verification_code: "135790" });
    const signedUp = await client.signUp({ verification_token, name: "Code User" });
    expect(await client.getUser()).toMatchObject({ sub: signedUp.sub, email, name: "Code User", has_password: false });

    await client.signOut();
    vi.setSystemTime(Date.now() + 61_000); // one send per contact per 60 s
    const again = await client.sendVerification({ email, target: "USER" });
    expect(again.is_user).toBe(true);
    const session = await client.signInWithCode({ verification_id: again.verification_id, verification_code: "135790" });
    expect(session.sub).toBe(signedUp.sub);
  });

  it("a wrong code is invalid_verification_code", async () => {
    const email = `${uniqueName("wrong").toLowerCase()}@example.com`;
    const vars = { TEST_OTP: JSON.stringify({ [email]: "111111" }) };
    const { client } = testClient({}, [], vars);
    const sent = await client.sendVerification({ email });
    await expect(client.signInWithCode({ verification_id: sent.verification_id, verification_code: "222222" })).rejects.toMatchObject({
      error: "invalid_verification_code",
    });
  });
});
