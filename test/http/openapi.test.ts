// The OpenAPI document (built from the route schemas) and the docs page with its static assets.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ERRORS } from "../../src/errors";
import { registeredOperations } from "../../src/routes/operation";
import { buildOpenApiDocument, openApiPath } from "../../src/openapi/document";
import { call } from "./helpers";

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
};
type Schema = Record<string, unknown> & { properties?: Record<string, Schema>; allOf?: Schema[]; anyOf?: Schema[] };
type Operation = {
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
};

async function served(): Promise<Doc> {
  const response = await call("GET", "/auth/v1/openapi.json");
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  return (await response.json()) as Doc;
}

/** The converted body schema of an operation (the first part of its allOf when it has cross-field rules). */
function bodyOf(doc: Doc, path: string, method: string): Schema {
  const schema = doc.paths[path]![method]!.requestBody!.content["application/json"]!.schema;
  return schema.allOf ? schema.allOf[0]! : schema;
}

function errorsOf(doc: Doc, path: string, method: string, status: number): string[] {
  const schema = doc.paths[path]![method]!.responses[String(status)]!.content!["application/json"]!.schema;
  return (schema.allOf![1]!.properties!.error as { enum: string[] }).enum;
}

describe("GET /auth/v1/openapi.json", () => {
  it("is an OpenAPI 3.1 document with exactly the paths and methods the app registers", async () => {
    const doc = await served();
    expect(doc.openapi).toBe("3.1.0");
    const registered = new Set(
      registeredOperations.map(({ path, method }) => `${method} ${openApiPath(path)}`),
    );
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`)),
    );
    expect([...documented].sort()).toEqual([...registered].sort());
    expect(documented.has("POST /auth/v1/signin")).toBe(true);
    expect(documented.has("GET /auth/v1/admin/users/{sub}")).toBe(true);
  });

  it("converts every check and schema of the routes (nothing silently dropped)", () => {
    expect(() => buildOpenApiDocument({ errorMode: "throw" })).not.toThrow();
    expect(buildOpenApiDocument({ errorMode: "throw" })).toEqual(buildOpenApiDocument());
  });

  it("keeps the rules that live in v.check and behind v.transform", async () => {
    const doc = await served();
    const signin = bodyOf(doc, "/auth/v1/signin", "post");
    expect(signin.properties!.password).toMatchObject({ type: "string", minLength: 1, maxLength: 256 });
    expect(signin.properties!.verification_token).toMatchObject({ type: "string", minLength: 1 });

    const signup = bodyOf(doc, "/auth/v1/signup", "post");
    const username = signup.properties!.username!.anyOf!;
    expect(username[0]).toMatchObject({ const: "" });
    expect(username[1]).toMatchObject({ type: "string", pattern: "^[A-Za-z0-9][A-Za-z0-9._:+@-]{1,47}$" });
    expect(signup.properties!.password!.anyOf![1]).toMatchObject({ minLength: 1, maxLength: 256 });
    expect(signup.properties!.name!.anyOf![1]).toMatchObject({ maxLength: 64 });

    const create = bodyOf(doc, "/auth/v1/admin/users", "post");
    expect(create.properties!.phone_number).toMatchObject({ type: "string", pattern: expect.any(String) });
    expect(create.properties!.email).toMatchObject({ type: "string", format: "email" });
    expect(create.anyOf).toEqual([{ required: ["username"] }, { required: ["phone_number"] }, { required: ["email"] }]);

    const send = bodyOf(doc, "/auth/v1/verification", "post");
    expect(send.properties!.target).toMatchObject({ enum: ["ANY", "USER", "NOT_USER", "CUR_USER"], default: "ANY" });
    const usages = (send.properties!.usage!.anyOf ?? []).flatMap((option) => (option.enum as string[]) ?? []);
    expect(usages).toEqual(expect.arrayContaining(["SIGN_IN", "REGISTER", "PASSWORD_RESET", "email", "recovery"]));
  });

  it("documents the error body with the catalogue and each operation's errors by status", async () => {
    const doc = await served();
    const errorBody = doc.components.schemas.ErrorBody!;
    expect((errorBody.properties!.error as { enum: string[] }).enum.sort()).toEqual(Object.keys(ERRORS).sort());
    expect((errorBody.properties!.error_code as { enum: number[] }).enum).toContain(4003);

    expect(errorsOf(doc, "/auth/v1/signin", "post", 400)).toEqual(
      expect.arrayContaining(["invalid_argument", "invalid_username_or_password", "captcha_required", "captcha_invalid", "invalid_status"]),
    );
    expect(errorsOf(doc, "/auth/v1/signin", "post", 429)).toEqual(["rate_limit_exceeded"]);
    expect(errorsOf(doc, "/auth/v1/signin", "post", 413)).toEqual(["request_too_large"]);
    expect(errorsOf(doc, "/auth/v1/signup", "post", 409)).toEqual(["already_exists"]);
    expect(errorsOf(doc, "/auth/v1/user/me", "get", 401)).toEqual(["unauthenticated"]);
    expect(errorsOf(doc, "/auth/v1/admin/users/{sub}", "get", 403)).toEqual(["permission_denied"]);
    expect(errorsOf(doc, "/auth/v1/token", "post", 400)).toEqual(
      expect.arrayContaining(["invalid_grant", "unsupported_grant_type"]),
    );
    // Every status a response is listed under is the catalogue's status for those errors.
    for (const item of Object.values(doc.paths)) {
      for (const op of Object.values(item)) {
        for (const [status, response] of Object.entries(op.responses)) {
          const schema = response.content?.["application/json"]?.schema;
          const names = (schema?.allOf?.[1]?.properties?.error as { enum?: string[] } | undefined)?.enum ?? [];
          for (const name of names) expect(ERRORS[name as keyof typeof ERRORS].status).toBe(Number(status));
        }
      }
    }
  });

  it("describes the token response, user and JWKS", async () => {
    const { components } = await served();
    expect(components.schemas.TokenResponse!.required).toEqual(
      expect.arrayContaining(["token_type", "access_token", "refresh_token", "expires_in", "sub"]),
    );
    expect(components.schemas.User!.properties!.status).toMatchObject({ enum: ["ACTIVE", "BLOCKED"] });
    expect(components.schemas.Jwks!.properties!.keys).toMatchObject({ type: "array" });
  });
});

describe("GET /auth/v1/docs", () => {
  it("is an HTML page with a strict CSP that loads the renderer from this origin", async () => {
    const response = await call("GET", "/auth/v1/docs");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const csp = response.headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
    const html = await response.text();
    expect(html).toContain('src="docs/vendor/swagger-ui-bundle.js"');
    expect(html).not.toMatch(/<script>|https?:\/\//);
  });

  it("has its renderer as static assets behind the ASSETS binding", async () => {
    // exports.default reaches the Worker itself in the pool; the asset router in front of it is
    // exercised by the browser test against `wrangler dev` (test/browser/).
    const asset = (path: string) => env.ASSETS!.fetch(`https://auth.test/auth/v1/docs/${path}`);
    const bundle = await asset("vendor/swagger-ui-bundle.js");
    expect(bundle.status).toBe(200);
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
    const start = await asset("start.js");
    expect(start.status).toBe(200);
    expect(await start.text()).toContain("SwaggerUIBundle");
    const css = await asset("vendor/swagger-ui.css");
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toMatch(/^text\/css/);
  });
});
