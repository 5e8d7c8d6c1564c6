// One identifier names at most one account, whichever column holds it (migrations/0012): a username
// equal to another user's email (any case) is refused, and so is an email equal to a username.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { asUser, OLD_PASSWORD, signedInAccount, sudoToken } from "./account-helpers";
import { admin, createUser, result, signin, uniqueName } from "./helpers";
import { postWith, sendCode, uniqueEmail, uniquePhone, verifiedToken } from "./verification-helpers";

const create = async (body: Record<string, unknown>) => result(await admin("POST", "/auth/v1/admin/users", body));
const alreadyExists = { status: 409, body: { error: "already_exists", error_code: 4090 } };
const failedPrecondition = { status: 400, body: { error: "failed_precondition" } };

/** The ids of the users holding `key` in the table of identifiers (0 or 1 of them). */
async function holdersOf(key: string): Promise<string[]> {
  const { results } = await env.DB.prepare("SELECT user_id FROM user_identifiers WHERE identifier = ?1").bind(key).all<{ user_id: string }>();
  return results.map((row) => row.user_id);
}

describe("a username equal to another user's email", () => {
  it("is refused, and the email's owner still signs in by email (the reported bug)", async () => {
    const email = uniqueEmail();
    const v = await createUser({ email, password: "v's password" });
    expect(await create({ username: email, password: "a's password" })).toMatchObject(alreadyExists);
    expect(await create({ username: email.toUpperCase(), password: "a's password" })).toMatchObject(alreadyExists);
    expect(await result(await signin({ username: email, password: "v's password" }))).toMatchObject({ status: 200, body: { sub: v.sub } });
    expect(await result(await signin({ username: email, password: "a's password" }))).toMatchObject({
      status: 400,
      body: { error: "invalid_username_or_password" },
    });
  });

  it("is refused to a profile edit, which changes nothing", async () => {
    const email = uniqueEmail();
    await createUser({ email });
    const user = await signedInAccount();
    const edit = await asUser(user.tokens.access_token, "POST", "/auth/v1/user/basic/edit", { body: { username: email, nickname: "X" } });
    expect(await result(edit)).toMatchObject(failedPrecondition);
    expect(await holdersOf(user.username)).toEqual([user.sub]);
    expect((await signin({ username: user.username, password: OLD_PASSWORD })).status).toBe(200);
  });

  it("is refused at sign-up, which leaves the token usable", async () => {
    const email = uniqueEmail();
    await createUser({ email });
    const phone = uniquePhone();
    const token = await verifiedToken(phone, "REGISTER");
    expect(await result(await postWith("/auth/v1/signup", { verification_token: token, username: email }))).toMatchObject(alreadyExists);
    expect((await postWith("/auth/v1/signup", { verification_token: token, username: uniqueName() })).status).toBe(200);
  });
});

describe("a username that looks like an email", () => {
  it("is allowed when nobody holds that email, and signs in (any case, as an email would)", async () => {
    const name = uniqueEmail().replace(/^v/, "Name.");
    const user = await createUser({ username: name, password: "a password here" });
    expect(user.username).toBe(name);
    for (const typed of [name, name.toLowerCase(), name.toUpperCase()]) {
      expect(await result(await signin({ username: typed, password: "a password here" }))).toMatchObject({ status: 200, body: { sub: user.sub } });
    }
    // Compared as the email it reads as: another case of it is the same identifier.
    expect(await create({ username: name.toLowerCase() })).toMatchObject(alreadyExists);
  });

  it("keeps its email from every other account: admin create, sign-up and binding a contact refuse it", async () => {
    const name = uniqueEmail();
    const holder = await createUser({ username: name, password: "holder's password" });
    expect(await create({ email: name })).toMatchObject(alreadyExists);
    expect(await create({ email: name.toUpperCase(), username: uniqueName() })).toMatchObject(alreadyExists);

    // One token for both (a refused sign-up gives it back; binding takes SIGN_IN tokens too).
    const token = await verifiedToken(name, "SIGN_IN");
    expect(await result(await postWith("/auth/v1/signup", { verification_token: token }))).toMatchObject(alreadyExists);

    const user = await signedInAccount();
    const bind = { email: name, sudo_token: await sudoToken(user.tokens.access_token, OLD_PASSWORD), verification_token: token };
    expect(await result(await asUser(user.tokens.access_token, "PATCH", "/auth/v1/user/contact", { body: bind }))).toMatchObject(failedPrecondition);

    expect(await holdersOf(name)).toEqual([holder.sub]);
    expect(await result(await signin({ username: name, password: "holder's password" }))).toMatchObject({ status: 200, body: { sub: holder.sub } });
  });

  it("may be its own account's email too", async () => {
    const email = uniqueEmail();
    const user = await createUser({ username: email, email, password: "a password here" });
    expect(await holdersOf(email)).toEqual([user.sub]);
    expect(await result(await signin({ username: email, password: "a password here" }))).toMatchObject({ status: 200, body: { sub: user.sub } });
  });

  it("makes that email taken for a sign-up code (NOT_USER), while it is no user's contact (USER)", async () => {
    const email = uniqueEmail();
    await createUser({ username: email, password: "a password here" });
    expect(await result(await sendCode({ email, target: "NOT_USER" }))).toMatchObject(alreadyExists);
    expect(await result(await sendCode({ email, target: "USER" }))).toMatchObject({ status: 404, body: { error: "user_not_found" } });
    const sent = await result(await sendCode({ email, target: "ANY" }));
    expect(sent).toMatchObject({ status: 200, body: { is_user: false } });
  });
});

describe("concurrent writes", () => {
  it("20 parallel creates, half with a username equal to the others' email: one owner each, the rest 409, no partial rows", async () => {
    const pairs = Array.from({ length: 10 }, () => ({ email: uniqueEmail(), plain: uniqueName("p"), phone: uniquePhone() }));
    const bodies = pairs.flatMap((pair, index) => [
      { pair: index, body: { email: pair.email, username: pair.plain } },
      { pair: index, body: { username: index % 2 ? pair.email.toUpperCase() : pair.email, phone_number: pair.phone } },
    ]);
    bodies.sort(() => Math.random() - 0.5);
    const answers = await Promise.all(bodies.map(async ({ pair, body }) => ({ pair, body, answer: await create(body) })));

    for (const [index, pair] of pairs.entries()) {
      const mine = answers.filter((item) => item.pair === index);
      const won = mine.filter((item) => item.answer.status === 201);
      const lost = mine.filter((item) => item.answer.status !== 201);
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]!.answer).toMatchObject(alreadyExists);
      const owner = String(won[0]!.answer.body.sub);
      expect(await holdersOf(pair.email)).toEqual([owner]);
      // The loser's other identifier went nowhere: neither its row nor its key exists.
      const loserOther = "email" in lost[0]!.body ? pair.plain : pair.phone;
      expect(await holdersOf(loserOther)).toEqual([]);
      const rows = await env.DB.prepare("SELECT COUNT(*) AS n FROM users WHERE email = ?1 OR lower(username) = ?1 OR username = ?2 OR phone = ?3")
        .bind(pair.email, pair.plain, pair.phone)
        .first<{ n: number }>();
      expect(rows?.n).toBe(1);
    }
  });
});

describe("freeing identifiers", () => {
  it("deleting a user frees its username, email and phone", async () => {
    const [username, email, phone] = [uniqueName(), uniqueEmail(), uniquePhone()];
    const user = await createUser({ username, email, phone_number: phone });
    expect((await admin("DELETE", `/auth/v1/admin/users/${user.sub}`)).status).toBe(204);
    for (const key of [username, email, phone]) expect(await holdersOf(key)).toEqual([]);
    expect((await create({ username: email })).status).toBe(201);
    expect((await create({ username, phone_number: phone })).status).toBe(201);
  });

  it("changing an email frees the old one and holds the new one", async () => {
    const [before, after] = [uniqueEmail(), uniqueEmail()];
    const user = await signedInAccount({ email: before });
    const bind = {
      email: after,
      sudo_token: await sudoToken(user.tokens.access_token, OLD_PASSWORD),
      verification_token: await verifiedToken(after, "REAUTHENTICATION"),
    };
    expect((await asUser(user.tokens.access_token, "PATCH", "/auth/v1/user/contact", { body: bind })).status).toBe(200);
    expect(await holdersOf(before)).toEqual([]);
    expect(await holdersOf(after)).toEqual([user.sub]);
    expect(await create({ username: after })).toMatchObject(alreadyExists);
    expect((await create({ username: before })).status).toBe(201);
  });

  it("renaming frees the old username", async () => {
    const user = await signedInAccount();
    const renamed = uniqueEmail();
    const edit = await asUser(user.tokens.access_token, "PATCH", "/auth/v1/user/profile", { body: { username: renamed } });
    expect(edit.status).toBe(200);
    expect(await holdersOf(user.username)).toEqual([]);
    expect(await holdersOf(renamed)).toEqual([user.sub]);
    expect(await create({ email: renamed })).toMatchObject(alreadyExists);
    expect((await create({ username: user.username })).status).toBe(201);
  });
});
