import { describe, expect, it } from "vitest";
import { call, result } from "./helpers";

// The calls the official clients make to paths this server does not offer (method and path).
// (The provider endpoints themselves are offered: see test/providers/.)
const CLIENT_CALLS: [string, string][] = [
  ["POST", "/auth/v1/user/provider/github/trans"],
  ["PATCH", "/auth/v1/provider/token"],
  ["PATCH", "/auth/v1/user/trans/by/provider"],
  ["POST", "/auth/v1/signin/custom"],
  ["GET", "/auth/v1/checkIfUserExist?username=zhangsan"],
  ["GET", "/auth/v1/user/query?username=zhangsan"],
  ["POST", "/auth/v1/signin/wechat/noauth"],
  ["POST", "/auth/v1/device/code"],
  ["POST", "/auth/v1/user/device/authorize"],
  ["DELETE", "/auth/v1/user/authorized/devices/abc"],
  ["POST", "/auth/v1/user/authorize"],
  ["GET", "/auth/v1/user/authorize/info?client_id=x"],
  ["GET", "/auth/v1/user/security/history"],
  ["GET", "/auth/v1/plugin/weda/userinfo"],
  ["POST", "/auth/v1/mgr/provider/providerSubType"],
  ["POST", "/auth/v1/qrcode/generate"],
  ["POST", "/auth/v1/qrcode/get/status"],
  ["POST", "/auth/v1/token/clientCredential"],
  ["POST", "/auth/v2/signin/publichkey"],
  ["POST", "/auth/v2/signin/username"],
  ["GET", "/auth/v2/user/me"],
  ["DELETE", "/auth/v2/user/me"],
  ["POST", "/auth/v2/token"],
  ["POST", "/auth/v2/signin/password/update"],
  ["POST", "/auth/v2/signin/verificationcode"],
  ["POST", "/auth/v2/signin/with/provider"],
];

describe("paths the official clients know that this server does not offer", () => {
  it.each(CLIENT_CALLS)("%s %s answers 501 unimplemented, saying it is not enabled on this server", async (method, path) => {
    const answer = await result(await call(method, path, method === "GET" || method === "DELETE" ? {} : { body: {} }));
    expect(answer).toMatchObject({ status: 501, body: { error: "unimplemented", error_code: 5010 } });
    expect(answer.body.error_description).toMatch(/ is not enabled on this server$/);
  });

  it("keeps 404 not_found for paths no client knows", async () => {
    expect(await result(await call("GET", "/auth/v1/no/such/path"))).toMatchObject({ status: 404, body: { error: "not_found" } });
  });
});
