import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/config";
import { isAllowedRedirect } from "../../src/providers/provider-config";

const BASE = { ISSUER: "https://auth.test", AUDIENCE: "aud", JWT_SIGNING_KEYS: "{}" };
const parse = (vars: Record<string, string>) => parseConfig({ ...BASE, ...vars });
const corp = { id: "corp", type: "oidc", issuer: "https://idp.example", client_id: "cid", client_secret: "secret" };

describe("AUTH_PROVIDERS", () => {
  it("is empty by default and provider switches default to each entry's signin", () => {
    expect(parse({}).providers.size).toBe(0);
    const config = parse({ AUTH_PROVIDERS: JSON.stringify([corp, { ...corp, id: "gh", type: "github", issuer: undefined, signin: false }]) });
    expect([...config.providers.keys()]).toEqual(["corp", "gh"]);
    expect(config.settingDefaults.provider_signin).toEqual({ corp: true, gh: false });
    const github = config.providers.get("gh");
    expect(github?.type === "github" && github.token_endpoint).toBe("https://github.com/login/oauth/access_token");
  });

  it.each([
    ["not json", "AUTH_PROVIDERS must be a JSON array of provider entries"],
    [JSON.stringify({}), "AUTH_PROVIDERS"],
    [JSON.stringify([{ ...corp, type: "saml" }]), 'AUTH_PROVIDERS [0].type: type must be "oidc", "github" or "wechat"'],
    [JSON.stringify([{ ...corp, issuer: "http://idp.example" }]), "AUTH_PROVIDERS [0].issuer: must be an https URL"],
    [JSON.stringify([corp, corp]), "AUTH_PROVIDERS ids must be unique"],
    [JSON.stringify([{ ...corp, id: "Corp!" }]), "AUTH_PROVIDERS [0].id: must be 1-32"],
    [JSON.stringify([{ ...corp, surprise: 1 }]), "AUTH_PROVIDERS [0].surprise"],
    [JSON.stringify([{ ...corp, type: "github", client_secret: undefined }]), "AUTH_PROVIDERS [0].client_secret"],
  ])("refuses %s, naming the variable", (value, message) => {
    expect(() => parse({ AUTH_PROVIDERS: value })).toThrow(ConfigError);
    expect(() => parse({ AUTH_PROVIDERS: value })).toThrow(`Configuration variable ${message}`);
  });

  it("never echoes a client secret in its message", () => {
    const value = JSON.stringify([{ ...corp, client_secret: "s3cr3t-value", issuer: "ftp://x" }]);
    expect(() => parse({ AUTH_PROVIDERS: value })).toThrow(/^(?!.*s3cr3t-value).*$/);
  });

  it("allows http issuers on this machine only (a local provider)", () => {
    expect(parse({ AUTH_PROVIDERS: JSON.stringify([{ ...corp, issuer: "http://127.0.0.1:9999" }]) }).providers.size).toBe(1);
  });
});

describe("PROVIDER_REDIRECT_URIS and the callback", () => {
  it("parses pages and origins, and derives the callback from ISSUER", () => {
    const config = parse({ PROVIDER_REDIRECT_URIS: "https://app.example/login, https://other.example/*" });
    expect(config.providerRedirectUris).toEqual(["https://app.example/login", "https://other.example/*"]);
    expect(config.providerCallbackUrl).toBe("https://auth.test/auth/v1/provider/callback");
    expect(parse({ PROVIDER_CALLBACK_URL: "https://id.example/cb" }).providerCallbackUrl).toBe("https://id.example/cb");
  });

  it.each(["http://app.example/login", "https://app.example/login?x=1", "https://app.example/a#b", "nope"])(
    "refuses the entry %s",
    (entry) => {
      expect(() => parse({ PROVIDER_REDIRECT_URIS: entry })).toThrow("Configuration variable PROVIDER_REDIRECT_URIS entry");
    },
  );

  it("matches pages exactly and origins by origin", () => {
    const list = ["https://app.example/login", "https://other.example/*"];
    expect(isAllowedRedirect(list, "https://app.example/login")).toBe(true);
    expect(isAllowedRedirect(list, "https://app.example/login/")).toBe(false);
    expect(isAllowedRedirect(list, "https://app.example/other")).toBe(false);
    expect(isAllowedRedirect(list, "https://other.example/any/page")).toBe(true);
    expect(isAllowedRedirect(list, "https://other.example.evil/x")).toBe(false);
    expect(isAllowedRedirect(list, "https://user@other.example/x")).toBe(false);
    expect(isAllowedRedirect(list, "https://other.example/x?next=evil")).toBe(false);
    expect(isAllowedRedirect(list, "not a url")).toBe(false);
  });
});
