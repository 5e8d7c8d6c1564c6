// The document as `wrangler dev` serves it, checked with an OpenAPI 3.1 validator. (Here in Node:
// the validator compiles JSON Schemas to functions with `new Function`, which workerd refuses.)
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, inject, it } from "vitest";

describe("GET /auth/v1/openapi.json under wrangler dev", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const response = await fetch(`${inject("baseUrl")}/auth/v1/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as Record<string, unknown>;
    const validator = new Validator();
    const result = await validator.validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("serves the renderer's files through the static asset router", async () => {
    const base = `${inject("baseUrl")}/auth/v1/docs`;
    for (const [path, type] of [
      ["vendor/swagger-ui-bundle.js", /javascript/],
      ["vendor/swagger-ui.css", /text\/css/],
      ["start.js", /javascript/],
    ] as const) {
      const response = await fetch(`${base}/${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("content-type"), path).toMatch(type);
      await response.arrayBuffer();
    }
  });
});
