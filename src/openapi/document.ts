// The OpenAPI 3.1 document of the API, built from the operations the routes declare
// (src/routes/operation.ts), once per isolate.
import { ERRORS, type ErrorName } from "../errors";
import { jsonSchemaOf, type ConvertOptions, type JsonSchema } from "./convert";
import * as R from "../api/answers";
import { impliedErrors, registeredOperations, type Operation } from "../routes/operation";

type Json = Record<string, unknown>;

const ERROR_REF = { $ref: "#/components/schemas/ErrorBody" };
const REQUEST_ID_HEADER = { $ref: "#/components/headers/X-Request-Id" };

/** `/auth/v1/admin/users/:sub` -> `/auth/v1/admin/users/{sub}` */
export const openApiPath = (honoPath: string) => honoPath.replace(/:([A-Za-z_]+)/g, "{$1}");

function errorsByStatus(op: Operation): Map<number, ErrorName[]> {
  const names = new Set<ErrorName>([...op.errors, ...impliedErrors(op)]);
  const byStatus = new Map<number, ErrorName[]>();
  for (const name of names) byStatus.set(ERRORS[name].status, [...(byStatus.get(ERRORS[name].status) ?? []), name]);
  return new Map([...byStatus].sort(([a], [b]) => a - b));
}

function errorResponse(names: ErrorName[]): Json {
  const retryAfter = names.some((name) => name === "rate_limit_exceeded" || name === "invalid_status");
  return {
    description: names.map((name) => `\`${name}\` (${ERRORS[name].code}): ${ERRORS[name].text}`).join("; "),
    headers: {
      "X-Request-Id": REQUEST_ID_HEADER,
      ...(retryAfter ? { "Retry-After": { $ref: "#/components/headers/Retry-After" } } : {}),
    },
    content: {
      "application/json": {
        schema: {
          allOf: [
            ERROR_REF,
            {
              properties: {
                error: { enum: names },
                error_code: { enum: names.map((name) => ERRORS[name].code) },
              },
            },
          ],
        },
        examples: Object.fromEntries(
          names.map((name) => [
            name,
            { value: { error: name, error_code: ERRORS[name].code, error_description: ERRORS[name].text } },
          ]),
        ),
      },
    },
  };
}

function requestBody(op: Operation, options: ConvertOptions): Json | undefined {
  if (!op.body) return undefined;
  const converted = jsonSchemaOf(op.body, options);
  const schema: JsonSchema = op.bodyRules ? ({ allOf: [converted, op.bodyRules] } as JsonSchema) : converted;
  const examples = op.bodyExamples
    ? { examples: Object.fromEntries(Object.entries(op.bodyExamples).map(([key, value]) => [key, { value }])) }
    : {};
  return {
    required: true,
    description:
      "JSON, sent as `application/json` or `text/plain` (what the CloudBase clients send), at most 16 KiB. Unknown fields are ignored.",
    content: { "application/json": { schema, ...examples }, "text/plain": { schema } },
  };
}

function successResponse(op: Operation, schemas: Map<unknown, string>): Json {
  const { success } = op;
  const headers = { "X-Request-Id": REQUEST_ID_HEADER };
  if (success.status === 204) return { description: success.description, headers };
  if (success.status === 302) return { description: success.description, headers: { ...headers, Location: { schema: { type: "string" } } } };
  if ("contentType" in success) {
    const mediaType = success.contentType.split(";")[0]!;
    return { description: success.description, headers, content: { [mediaType]: { schema: mediaType === "text/html" ? { type: "string" } : { type: "object" } } } };
  }
  const name = schemas.get(success.schema);
  const schema = name ? { $ref: `#/components/schemas/${name}` } : { type: "object" };
  return { description: success.description, headers, content: { "application/json": { schema } } };
}

function operationObject(op: Operation, schemas: Map<unknown, string>, options: ConvertOptions): Json {
  const parameters: Json[] = [];
  if (op.path.includes(":sub")) {
    parameters.push({
      name: "sub",
      in: "path",
      required: true,
      description: "The user id (19 digits); anything else is 404 `user_not_found`.",
      schema: { type: "string", pattern: "^[1-9][0-9]{18}$" },
    });
  }
  if (op.path.includes(":provider_id")) {
    parameters.push({
      name: "provider_id",
      in: "path",
      required: true,
      description: "The id of a provider in AUTH_PROVIDERS.",
      schema: { type: "string", pattern: "^[a-z0-9][a-z0-9_-]{0,31}$" },
    });
  }
  if (op.query) {
    const converted = jsonSchemaOf(op.query, options) as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, schema] of Object.entries(converted.properties ?? {})) {
      parameters.push({ name, in: "query", required: converted.required?.includes(name) ?? false, schema });
    }
  }
  if (op.captcha) {
    parameters.push(
      { $ref: "#/components/parameters/CaptchaTokenHeader" },
      { $ref: "#/components/parameters/CaptchaTokenQuery" },
    );
  }
  const responses: Json = { [String(op.success.status)]: successResponse(op, schemas) };
  for (const [status, names] of errorsByStatus(op)) responses[String(status)] = errorResponse(names);
  const body = requestBody(op, options);
  return {
    operationId: op.operationId,
    tags: [op.tag],
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(body ? { requestBody: body } : {}),
    responses,
    security: op.auth === "user" ? [{ accessToken: [] }] : op.auth === "admin" ? [{ adminToken: [] }] : [],
  };
}

/** Builds the document; `errorMode: "throw"` (tests) fails on anything the converter cannot express. */
export function buildOpenApiDocument(options: ConvertOptions = {}): Json {
  const named = {
    TokenResponse: R.TokenResponse,
    User: R.User,
    ErrorBody: R.ErrorBody,
    VerificationSent: R.VerificationSent,
    VerificationVerified: R.VerificationVerified,
    CaptchaChallenge: R.CaptchaChallenge,
    CaptchaToken: R.CaptchaToken,
    Settings: R.Settings,
    ProviderUri: R.ProviderUri,
    ProviderToken: R.ProviderToken,
    ProviderList: R.ProviderList,
    Jwks: R.Jwks,
    Empty: R.Empty,
    SudoToken: R.SudoToken,
  };
  const schemaNames = new Map<unknown, string>(Object.entries(named).map(([name, schema]) => [schema, name]));
  const paths: Record<string, Json> = {};
  for (const op of registeredOperations) {
    const item = (paths[openApiPath(op.path)] ??= {});
    item[op.method.toLowerCase()] = operationObject(op, schemaNames, options);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "edge-signin /auth/v1",
      version: "1.0.0",
      description:
        "A sign-in service on Cloudflare Workers that speaks the CloudBase `/auth/v1` wire format. Every response carries `X-Request-Id`; every response with a token carries `Cache-Control: no-store`. Errors have the shape `{error, error_code, error_description}`; clients branch on `error`.",
    },
    tags: [
      { name: "Sign-in" },
      { name: "Verification", description: "Phone and email codes" },
      { name: "Sessions", description: "Refresh, sign-out, the current user" },
      { name: "Providers", description: "Sign-in with other identity providers (AUTH_PROVIDERS)" },
      { name: "Account", description: "Reset or change the password, delete the account (docs/account.md)" },
      { name: "Captcha" },
      { name: "Keys", description: "Verify access tokens offline" },
      { name: "Admin", description: "`Authorization: Bearer <ADMIN_API_TOKEN>`" },
      { name: "Docs" },
    ],
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(named).map(([name, schema]) => [name, jsonSchemaOf(schema, options)])),
      securitySchemes: {
        accessToken: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "An access token from sign-in." },
        adminToken: { type: "http", scheme: "bearer", description: "The ADMIN_API_TOKEN secret." },
      },
      parameters: {
        CaptchaTokenHeader: {
          name: "x-captcha-token",
          in: "header",
          required: false,
          description: "A captcha token from POST /auth/v1/captcha/data/verify, when the last answer was `captcha_required`.",
          schema: { type: "string", pattern: "^[A-Za-z0-9._-]*$" },
        },
        CaptchaTokenQuery: {
          name: "captcha_token",
          in: "query",
          required: false,
          description: "The same captcha token as a query parameter (what the official clients send).",
          schema: { type: "string", pattern: "^[A-Za-z0-9._-]*$" },
        },
      },
      headers: {
        "X-Request-Id": {
          description: "The request's id (yours if it was 1-128 chars of `[A-Za-z0-9._:-]`); also in its log lines.",
          schema: { type: "string" },
        },
        "Retry-After": {
          description: "Seconds until a lock or a rate-limit window ends.",
          schema: { type: "integer", minimum: 0 },
        },
      },
    },
  };
}

let cachedJson: string | undefined;

/** The document as JSON text, built on the first request of this isolate. */
export function openApiJson(): string {
  cachedJson ??= JSON.stringify(buildOpenApiDocument());
  return cachedJson;
}
