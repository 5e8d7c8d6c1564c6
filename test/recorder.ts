// The answer recorder: every response the suite gets from the Worker is checked against the
// operation it belongs to, as declared at registration (src/routes/operation.ts). A success must
// have the declared status and parse with the declared schema (strict: no field the schema lacks);
// an error must have the catalogue's shape, status and code, and be one of the operation's errors.
// The helpers that call the Worker record each answer; test/setup.ts fails the test that saw a
// mismatch. Answers of paths that are no operation (404, 405, the 501s of not-enabled paths,
// preflights) are not checked here.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import * as v from "valibot";
import { ErrorBody } from "../src/api/answers";
import { ERRORS, type ErrorName } from "../src/errors";
import app from "../src/index";
import { impliedErrors, registeredOperations, type Operation } from "../src/routes/operation";

const mismatches: string[] = [];

const patterns = new Map<string, RegExp>();
function patternOf(path: string): RegExp {
  let pattern = patterns.get(path);
  if (!pattern) {
    pattern = new RegExp(`^${path.replace(/:[A-Za-z_]+/g, "[^/]+")}$`);
    patterns.set(path, pattern);
  }
  return pattern;
}

export function operationOf(method: string, url: string): Operation | undefined {
  const { pathname } = new URL(url);
  return registeredOperations.find((op) => op.method === method && patternOf(op.path).test(pathname));
}

function issues(result: v.SafeParseResult<v.GenericSchema>): string {
  return (result.issues ?? []).map((issue) => `${v.getDotPath(issue) ?? "(root)"}: ${issue.message}`).join("; ");
}

function successMismatch(op: Operation, response: Response, text: string): string | undefined {
  const { success } = op;
  if (response.status !== success.status) return `status ${response.status}, declared ${success.status}`;
  if (success.status === 204) return text === "" ? undefined : "a body on a 204";
  if (success.status === 302) return response.headers.get("location") ? undefined : "a redirect without Location";
  if ("contentType" in success) {
    return response.headers.get("content-type") === success.contentType ? undefined : `content-type ${response.headers.get("content-type")}`;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return "a body that is not JSON";
  }
  const result = v.safeParse(success.schema, json);
  return result.success ? undefined : `the body does not match the declared schema: ${issues(result)}`;
}

function errorMismatch(op: Operation, response: Response, text: string): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return "an error body that is not JSON";
  }
  const result = v.safeParse(ErrorBody, json);
  if (!result.success) return `an error body of the wrong shape: ${issues(result)}`;
  const name = result.output.error as ErrorName;
  if (ERRORS[name].status !== response.status) return `\`${name}\` with status ${response.status}`;
  if (ERRORS[name].code !== result.output.error_code) return `\`${name}\` with error_code ${result.output.error_code}`;
  const allowed = new Set([...op.errors, ...impliedErrors(op)]);
  return allowed.has(name) ? undefined : `\`${name}\`, which the operation does not declare`;
}

/** Checks one answer of the Worker (call before the test reads the response: it reads a clone). */
export async function recordAnswer(request: Request, response: Response): Promise<void> {
  const op = operationOf(request.method, request.url);
  if (!op) return;
  const text = await response.clone().text();
  const mismatch = response.status < 400 ? successMismatch(op, response, text) : errorMismatch(op, response, text);
  if (mismatch) mismatches.push(`${op.method} ${op.path} (${op.operationId}): ${mismatch}`);
}

/** The mismatches seen since the last call. */
export function takeMismatches(): string[] {
  return mismatches.splice(0);
}

/**
 * One request to the Worker's fetch handler in this isolate, with these bindings, waiting for the
 * work it defers; its answer is recorded. Every helper that calls the Worker goes through here.
 */
export async function fetchWorker(request: Request, bindings: object): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await app.fetch(request, bindings, ctx);
  await waitOnExecutionContext(ctx);
  await recordAnswer(request, response);
  return response;
}
