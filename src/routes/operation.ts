// Every operation of the API is declared once, where it is registered: its inputs (query and body
// schemas), its success answer, the errors it may answer with, and what it needs (a bearer, a
// captcha, storage). The handler receives the validated inputs and returns the success body, typed
// by the declared schema. The OpenAPI document (src/openapi/document.ts) and the tests' response
// recorder read the same declarations, so nothing else lists the paths.
import type { Context, Hono } from "hono";
import type * as v from "valibot";
import type { SignedIn } from "../auth/current-user";
import { ApiError, type ErrorName } from "../errors";
import { readBody, validate } from "../http/body";
import type { AppEnv } from "../http/context";
import type { JsonSchema } from "../openapi/convert";
import { signedIn } from "./bearer";
import { NOT_ENABLED_METHODS, notEnabled } from "./not-enabled";

export type Method = "GET" | "POST" | "PATCH" | "DELETE";
export type Tag = "Sign-in" | "Verification" | "Sessions" | "Account" | "Providers" | "Captcha" | "Keys" | "Admin" | "Docs";
type Headers = Record<string, string>;

/** A JSON answer with the declared schema. */
export interface JsonSuccess<S extends v.GenericSchema = v.GenericSchema> {
  status: 200 | 201;
  description: string;
  schema: S;
  headers?: Headers;
}
/** No body (the admin API's deletions). */
export interface EmptySuccess {
  status: 204;
  description: string;
}
/** A redirect: the handler returns where to. */
export interface RedirectSuccess {
  status: 302;
  description: string;
  headers?: Headers;
}
/** A document that is not an API answer (the docs page, the OpenAPI JSON): the handler returns its text. */
export interface TextSuccess {
  status: 200;
  description: string;
  contentType: string;
  headers?: Headers;
}
export type Success = JsonSuccess | EmptySuccess | RedirectSuccess | TextSuccess;

/** What the handler returns for each kind of success. */
type Answer<Su extends Success> = Su extends JsonSuccess<infer S>
  ? v.InferInput<S>
  : Su extends RedirectSuccess
    ? { location: string }
    : Su extends TextSuccess
      ? string
      : void;

type Out<S> = S extends v.GenericSchema ? v.InferOutput<S> : undefined;

export interface Input<B, Q, A> {
  body: Out<B>;
  query: Out<Q>;
  /** With `auth: "user"`: the signed-in user and session (checked before anything else is read). */
  session: A extends "user" ? SignedIn : undefined;
}

export interface Declaration<
  B extends v.GenericSchema | undefined = v.GenericSchema | undefined,
  Q extends v.GenericSchema | undefined = v.GenericSchema | undefined,
  Su extends Success = Success,
  A extends "user" | "admin" | undefined = "user" | "admin" | undefined,
> {
  operationId: string;
  tag: Tag;
  summary: string;
  description?: string;
  /** The query parameters, validated (documented as parameters). */
  query?: Q;
  /** The JSON body, read (docs/protocol.md §1) and validated before the handler runs. */
  body?: B;
  /** Rules across fields that the handler checks after the schema (documented as `allOf`). */
  bodyRules?: JsonSchema;
  bodyExamples?: Record<string, unknown>;
  success: Su;
  /** The errors of the protocol this operation answers with, besides those every operation of its kind may give (`impliedErrors`). */
  errors: ErrorName[];
  /** "user": a bearer of a live session, checked first; "admin": the admin token (checked by the admin middleware). */
  auth?: A;
  /** Takes a captcha token (`x-captcha-token` or `?captcha_token=`). */
  captcha?: true;
  handle: (c: Context<AppEnv>, input: Input<B, Q, A>) => Promise<Answer<Su>> | Answer<Su>;
}

/** A declaration as registered, with its path and method. */
export interface Operation extends Declaration {
  path: string;
  method: Method;
}

/** Declares one operation; `const` keeps the literal types the handler's input and answer are derived from. */
export function operation<
  const B extends v.GenericSchema | undefined = undefined,
  const Q extends v.GenericSchema | undefined = undefined,
  const Su extends Success = Success,
  const A extends "user" | "admin" | undefined = undefined,
>(declaration: Declaration<B, Q, Su, A>): Declaration<B, Q, Su, A> {
  return declaration;
}

/** Every operation the app registers, in registration order. */
export const registeredOperations: Operation[] = [];

/**
 * The errors any operation of this kind may answer with besides its own list: a body can be
 * malformed, too large or of the wrong type; every request can fail inside (500) or meet
 * storage or configuration that is down or unsafe (503); a state-changing request from an
 * unlisted origin is refused (docs/protocol.md §1); the admin API refuses a bad admin token, and
 * every call from an IP past its failures.
 */
export function impliedErrors(op: Pick<Operation, "body" | "query" | "method" | "auth">): ErrorName[] {
  const names: ErrorName[] = ["internal", "unavailable"];
  if (op.body) names.push("invalid_argument", "request_too_large", "unsupported_media_type");
  if (op.query) names.push("invalid_argument");
  if (op.method !== "GET") names.push("permission_denied");
  if (op.auth === "user") names.push("unauthenticated");
  // A bad admin token is refused; past ADMIN_FAILURES_PER_IP_PER_HOUR every admin call from the IP.
  if (op.auth === "admin") names.push("permission_denied", "rate_limit_exceeded");
  return names;
}

function queryOf(c: Context<AppEnv>): Record<string, string> {
  return Object.fromEntries(new URL(c.req.url).searchParams);
}

function run(declaration: Declaration) {
  const { success } = declaration;
  return async (c: Context<AppEnv>): Promise<Response> => {
    const session = declaration.auth === "user" ? await signedIn(c) : undefined;
    const query = declaration.query ? validate(declaration.query, queryOf(c)) : undefined;
    const body = declaration.body ? await readBody(c.req.raw, declaration.body) : undefined;
    const answer: unknown = await declaration.handle(c, { body, query, session } as never);
    if (success.status === 204) return c.body(null, 204);
    if (success.status === 302) {
      return c.body(null, 302, { ...success.headers, Location: (answer as { location: string }).location });
    }
    if ("contentType" in success) {
      return c.body(answer as string, 200, { ...success.headers, "Content-Type": success.contentType });
    }
    return c.json(answer as object, success.status, success.headers);
  };
}

/** Registers the operations of one path; every other method answers 405 with `Allow` (or 501, see NOT_ENABLED_METHODS). */
export function endpoint(app: Hono<AppEnv>, path: string, declarations: Partial<Record<Method, Declaration<any, any, any, any>>>): void {
  const methods = Object.keys(declarations) as Method[];
  for (const method of methods) {
    const declaration = declarations[method]! as Declaration;
    app.on(method, path, run(declaration));
    registeredOperations.push({ ...declaration, path, method });
  }
  const allow = [...methods, ...(methods.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
  app.all(path, (c) => {
    const feature = NOT_ENABLED_METHODS[`${c.req.method} ${path}`];
    throw feature ? notEnabled(feature) : new ApiError("method_not_allowed", { headers: { Allow: allow } });
  });
}
