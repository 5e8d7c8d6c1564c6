// Reading and validating JSON request bodies (docs/protocol.md §1): JSON sent as application/json or
// text/plain, at most 16 KiB (checked from Content-Length, then counted while reading), an object
// at the top, validated with valibot into field paths only (the validator's own text can echo
// the input, which may be a password).
import * as v from "valibot";
import { ApiError, type FieldIssue } from "../errors";

const MAX_BODY_BYTES = 16 * 1024;
const JSON_MEDIA_TYPES = new Set(["application/json", "text/plain"]);

function mediaType(header: string | null): string | undefined {
  return header?.split(";")[0]?.trim().toLowerCase() || undefined;
}

// An oversized body is read to its end and discarded rather than left unread or half-read: the
// local wrangler dev proxy turns a response to an unconsumed multi-megabyte body into a 503
// (measured: 3 MB bodies got 503 without this). Past this much it is cancelled after all.
const MAX_DRAIN_BYTES = 8 * 1024 * 1024;

async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, alreadyRead: number): Promise<void> {
  let size = alreadyRead;
  while (size <= MAX_DRAIN_BYTES) {
    const { done, value } = await reader.read();
    if (done) return;
    size += value.byteLength;
  }
  await reader.cancel();
}

async function readLimited(request: Request): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > MAX_BODY_BYTES) {
    await drain(reader, 0);
    throw new ApiError("request_too_large");
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await drain(reader, size);
      throw new ApiError("request_too_large");
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** The request body as a JSON object, or an ApiError (415, 413, 400). */
async function readJsonObject(request: Request): Promise<Record<string, unknown>> {
  if (!JSON_MEDIA_TYPES.has(mediaType(request.headers.get("content-type")) ?? "")) {
    throw new ApiError("unsupported_media_type");
  }
  const bytes = await readLimited(request);
  let parsed: unknown;
  try {
    parsed = JSON.parse(strictUtf8.decode(bytes));
  } catch {
    throw new ApiError("invalid_argument", { description: "The body is not valid JSON" });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ApiError("invalid_argument", { description: "The body must be a JSON object" });
  }
  return parsed as Record<string, unknown>;
}

function issueToField(issue: v.BaseIssue<unknown>): FieldIssue {
  const path = issue.path?.map((item) => String(item.key)).join(".") || "(body)";
  // valibot's default text quotes the received value, which may be a password: only our own
  // check messages are passed on, otherwise the expectation alone.
  const ownText = issue.type === "check" || issue.type === "custom";
  const message = ownText ? issue.message : issue.expected ? `expected ${issue.expected}` : "invalid value";
  return { path, message };
}

/** Validates a parsed body; a failure is 400 invalid_argument with field paths and safe messages. */
export function validate<const TSchema extends v.GenericSchema>(schema: TSchema, input: unknown): v.InferOutput<TSchema> {
  const result = v.safeParse(schema, input);
  if (!result.success) {
    throw new ApiError("invalid_argument", { details: result.issues.map(issueToField) });
  }
  return result.output;
}

/** Reads and validates in one step. */
export async function readBody<const TSchema extends v.GenericSchema>(request: Request, schema: TSchema) {
  return validate(schema, await readJsonObject(request));
}

/** A rule across fields: exactly one of `a` and `b` is present (400 invalid_argument otherwise). */
export function requireExactlyOne(body: Record<string, unknown>, a: string, b: string): void {
  if ((body[a] === undefined) === (body[b] === undefined)) {
    throw new ApiError("invalid_argument", { details: [{ path: "(body)", message: `send exactly one of ${a} or ${b}` }] });
  }
}
