import { describe, expect, it } from "vitest";
import { jsonOf, result, signin } from "./helpers";
import { asUser, bearer, OLD_PASSWORD, signedInAccount, sudoToken } from "./account-helpers";
import { me } from "./sessions-helpers";
import { consoleLog, contactOf, lastCodeTo, sendCode, uniqueEmail, uniquePhone, verifiedToken, verifyCode } from "./verification-helpers";

const PASSWORD = OLD_PASSWORD;
const signedIn = signedInAccount;

/** Send (with the bearer, if given) and verify a code for `to`, as the js-sdk's updateUser then verifyOtp do. */
async function verifyWhileSignedIn(to: string, access?: string, extra: Record<string, unknown> = {}): Promise<void> {
  consoleLog();
  const sent = await sendCode({ ...contactOf(to), ...extra }, { headers: access ? bearer(access) : {} });
  expect(sent.status, await sent.clone().text()).toBe(200);
  const { verification_id } = await jsonOf<{ verification_id: string }>(sent);
  expect((await verifyCode({ verification_id, verification_code: lastCodeTo(to) })).status).toBe(200);
}

const edit = (access: string, body: unknown) => asUser(access, "POST", "/auth/v1/user/basic/edit", { body });
const bind = (access: string, body: unknown) => asUser(access, "PATCH", "/auth/v1/user/contact", { body });
const meOf = async (access: string) => jsonOf(await me(access));

describe("POST /auth/v1/user/basic/edit {email | phone}", () => {
  it("takes an email the user verified moments ago with a code asked for while signed in", async () => {
    const user = await signedIn();
    const email = uniqueEmail();
    await verifyWhileSignedIn(email, user.tokens.access_token, { usage: "reauthentication" });
    expect(await result(await edit(user.tokens.access_token, { email }))).toEqual({ status: 200, body: {} });
    expect(await meOf(user.tokens.access_token)).toMatchObject({ email });
    expect((await signin({ username: email, password: PASSWORD })).status).toBe(200);
  });

  it("takes a phone (field `phone`, as the js-sdk sends it)", async () => {
    const user = await signedIn();
    const phone = uniquePhone();
    await verifyWhileSignedIn(phone, user.tokens.access_token);
    expect((await edit(user.tokens.access_token, { phone: phone.replace(" ", "") })).status).toBe(200);
    expect(await meOf(user.tokens.access_token)).toMatchObject({ phone_number: phone });
  });

  it("refuses a contact without proof, with a proof from a code sent without the bearer, or one another user verified", async () => {
    const user = await signedIn();
    const other = await signedIn();
    const [none, anonymous, theirs] = [uniqueEmail(), uniqueEmail(), uniqueEmail()];
    await verifyWhileSignedIn(anonymous);
    await verifyWhileSignedIn(theirs, other.tokens.access_token);
    for (const email of [none, anonymous, theirs]) {
      expect(await result(await edit(user.tokens.access_token, { email, nickname: "changed?" }))).toMatchObject({
        status: 400,
        body: { error: "failed_precondition" },
      });
    }
    expect(await meOf(user.tokens.access_token)).toMatchObject({ email: null, name: null });
  });

  it("uses a proof once", async () => {
    const user = await signedIn();
    const [first, second] = [uniqueEmail(), uniqueEmail()];
    await verifyWhileSignedIn(first, user.tokens.access_token);
    await verifyWhileSignedIn(second, user.tokens.access_token);
    expect((await edit(user.tokens.access_token, { email: first })).status).toBe(200);
    expect((await edit(user.tokens.access_token, { email: second })).status).toBe(200);
    expect((await edit(user.tokens.access_token, { email: first })).status).toBe(400);
  });

  it("refuses a contact another user holds with failed_precondition", async () => {
    const email = uniqueEmail();
    await signedIn({ email });
    const user = await signedIn();
    await verifyWhileSignedIn(email, user.tokens.access_token);
    expect(await result(await edit(user.tokens.access_token, { email }))).toMatchObject({ status: 400, body: { error: "failed_precondition" } });
  });
});

describe("PATCH /auth/v1/user/contact", () => {
  it("binds a phone with a sudo token and a verification token for it", async () => {
    const user = await signedIn();
    const phone = uniquePhone();
    const body = { phone_number: phone, sudo_token: await sudoToken(user.tokens.access_token, PASSWORD), verification_token: await verifiedToken(phone) };
    expect(await result(await bind(user.tokens.access_token, body))).toEqual({ status: 200, body: {} });
    expect(await meOf(user.tokens.access_token)).toMatchObject({ phone_number: phone });
  });

  it("refuses a token for another contact, or no sudo token, with invalid_grant", async () => {
    const user = await signedIn();
    const [phone, other] = [uniquePhone(), uniquePhone()];
    const sudo = await sudoToken(user.tokens.access_token, PASSWORD);
    expect(await result(await bind(user.tokens.access_token, { phone_number: phone, sudo_token: sudo, verification_token: await verifiedToken(other) }))).toMatchObject({
      status: 400,
      body: { error: "invalid_grant" },
    });
    expect(await result(await bind(user.tokens.access_token, { phone_number: phone, verification_token: await verifiedToken(phone) }))).toMatchObject({
      status: 400,
      body: { error: "invalid_grant" },
    });
    expect(await meOf(user.tokens.access_token)).toMatchObject({ phone_number: null });
  });

  it("refuses a contact another user holds with failed_precondition", async () => {
    const email = uniqueEmail();
    await signedIn({ email });
    const user = await signedIn();
    const body = { email, sudo_token: await sudoToken(user.tokens.access_token, PASSWORD), verification_token: await verifiedToken(email) };
    expect(await result(await bind(user.tokens.access_token, body))).toMatchObject({ status: 400, body: { error: "failed_precondition" } });
  });
});

describe("POST /auth/v1/verification with target CUR_USER", () => {
  it("sends to the signed-in user's own phone when the body names no contact", async () => {
    const phone = uniquePhone();
    const user = await signedIn({ phone_number: phone });
    consoleLog();
    const sent = await sendCode({ target: "CUR_USER" }, { headers: bearer(user.tokens.access_token) });
    expect(sent.status).toBe(200);
    expect(lastCodeTo(phone)).toMatch(/^[0-9]{6}$/);
  });

  it("needs a live session, and a contact that is the user's", async () => {
    expect(await result(await sendCode({ target: "CUR_USER" }))).toMatchObject({ status: 401, body: { error: "unauthenticated" } });
    const user = await signedIn();
    expect(await result(await sendCode({ target: "CUR_USER" }, { headers: bearer(user.tokens.access_token) }))).toMatchObject({
      status: 400,
      body: { error: "failed_precondition" },
    });
    const stranger = uniqueEmail();
    expect(await result(await sendCode({ target: "CUR_USER", email: stranger }, { headers: bearer(user.tokens.access_token) }))).toMatchObject({
      status: 400,
      body: { error: "failed_precondition" },
    });
  });
});

describe("usage reauthentication", () => {
  it("makes a token that proves the contact for sudo but cannot sign in", async () => {
    const email = uniqueEmail();
    await signedIn({ email });
    const token = await verifiedToken(email, "reauthentication");
    expect(await result(await signin({ verification_token: token }))).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  });
});
