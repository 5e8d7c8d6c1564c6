// verification_id and verification_token carry their contact, sealed, which names its Durable
// Object. A route that is malformed, forged, altered or sealed under another key is an unknown id
// or token: the usual 400, never a 500.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ContactRoutes } from "../../src/storage/contact-routes";
import { createUser, result, signin } from "./helpers";
import { postWith, requestCode, uniqueEmail, uniquePhone, verifiedToken, verifyCode } from "./verification-helpers";

const secret = "A".repeat(43);
const realRoute = env.CONTACTS.idFromName("phone:+86 13900000000").toString();

const [sealedElsewhere] = (await new ContactRoutes("another signing-key secret").routedSecret({ kind: "phone", value: "+86 13900000000" })).split(".");

const forgedRoutes: [string, string][] = [
  ["the contact sealed under another signing-key secret (before a rotation)", sealedElsewhere!],
  ["64 hex digits the namespace never made", "ab".repeat(32)],
  ["the id of another Durable Object namespace", env.RATE_WINDOWS.idFromName("phone:+86 13900000000").toString()],
  ["an upper-case id", realRoute.toUpperCase()],
  ["a short id", "abc123"],
  ["no id", ""],
  ["a non-hex id", "g".repeat(64)],
];

const invalidCode = { status: 400, body: { error: "invalid_verification_code" } };
const invalidGrant = { status: 400, body: { error: "invalid_grant" } };

describe("a forged or foreign routing part", () => {
  it.each(forgedRoutes)("in verification_id (%s) is invalid_verification_code", async (_case, route) => {
    const response = await result(await verifyCode({ verification_id: `${route}.${secret}`, verification_code: "123456" }));
    expect(response).toMatchObject(invalidCode);
  });

  it.each(forgedRoutes)("in verification_token (%s) is invalid_grant at sign-in and sign-up", async (_case, route) => {
    const token = `${route}.${secret}`;
    expect(await result(await signin({ verification_token: token }))).toMatchObject(invalidGrant);
    expect(await result(await postWith("/auth/v1/signup", { verification_token: token }))).toMatchObject(invalidGrant);
  });

  it("a real id's secret under another contact's route verifies nothing, and the real id still does", async () => {
    const { id, code } = await requestCode(uniquePhone());
    const [, idSecret] = id.split(".");
    const other = await requestCode(uniqueEmail());
    const [otherRoute] = other.id.split(".");
    const moved = await result(await verifyCode({ verification_id: `${otherRoute}.${idSecret}`, verification_code: code }));
    expect(moved).toMatchObject(invalidCode);
    expect((await verifyCode({ verification_id: id, verification_code: code })).status).toBe(200);
  });

  it("a real token's secret under another contact's route signs no one in, and the real token still does", async () => {
    const phone = uniquePhone();
    const user = await createUser({ phone_number: phone });
    const token = await verifiedToken(phone);
    const [otherRoute] = (await verifiedToken(uniqueEmail())).split(".");
    const [, tokenSecret] = token.split(".");
    expect(await result(await signin({ verification_token: `${otherRoute}.${tokenSecret}` }))).toMatchObject(invalidGrant);
    expect(await result(await signin({ verification_token: token }))).toMatchObject({ status: 200, body: { sub: user.sub } });
  });

  it("a verification id is not a verification token, nor the other way round", async () => {
    const phone = uniquePhone();
    await createUser({ phone_number: phone });
    const { id, code } = await requestCode(phone);
    expect(await result(await signin({ verification_token: id }))).toMatchObject(invalidGrant);
    const verified = await result(await verifyCode({ verification_id: id, verification_code: code }));
    const token = String(verified.body.verification_token);
    expect(await result(await verifyCode({ verification_id: token, verification_code: code }))).toMatchObject(invalidCode);
    expect((await signin({ verification_token: token })).status).toBe(200);
  });
});
