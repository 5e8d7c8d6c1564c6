// Valibot schemas -> JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1) with
// @valibot/to-json-schema, plus what the converter cannot see on its own:
// - `v.check` actions are functions; each exported schema that uses them says here what its checks
//   mean as JSON Schema keywords (matched by object identity, counted so a new check is noticed);
// - request bodies are converted as input types: a pipeline stops at its first `v.transform`.
//   Where a field normalises first and then validates again (signup's "" counts as absent), the
//   documented input is "" or the rule after the transform.
import { toJsonSchema, type ConversionConfig, type JsonSchema } from "@valibot/to-json-schema";
import type * as v from "valibot";
import { Email, Phone, CreateUserBody } from "../routes/admin-users";
import { MAX_PASSWORD_CODE_POINTS, Name, Password } from "../routes/schemas";
import { Description } from "../routes/user-profile";

type AnySchema = v.GenericSchema;
type PipeItem = { kind: string; type: string; pipe?: PipeItem[] };
export type { JsonSchema };

/** The JSON Schema keywords each check of a schema stands for, in pipeline order. */
const CHECK_MEANINGS: [AnySchema, JsonSchema[]][] = [
  [
    Password,
    [
      { description: "Any Unicode text; a lone surrogate (\\uD800 alone) is refused." },
      // JSON Schema counts code points, as the protocol does (before NFKC normalisation).
      { minLength: 1, maxLength: MAX_PASSWORD_CODE_POINTS },
    ],
  ],
  [Name, [{ maxLength: 64, description: "At most 64 characters (code points), well-formed Unicode." }]],
  [Description, [{ maxLength: 256, description: "At most 256 characters (code points), well-formed Unicode." }]],
  [
    Phone,
    [
      {
        pattern: "^\\+[0-9 ]{4,24}$",
        description:
          "`+<country code> <national number>` (spaces optional or misplaced), valid for its country; stored and returned spaced, e.g. `+86 13800138000`.",
        examples: ["+86 13800138000"],
      },
    ],
  ],
  [Email, [{ format: "email", maxLength: 254, description: "Trimmed and lower-cased as a whole." }]],
  [
    CreateUserBody,
    [{ anyOf: [{ required: ["username"] }, { required: ["phone_number"] }, { required: ["email"] }] }],
  ],
];

function flatPipe(schema: unknown): PipeItem[] {
  const pipe = (schema as { pipe?: PipeItem[] }).pipe;
  return pipe ? pipe.flatMap((item) => (item.pipe ? flatPipe(item) : [item])) : [];
}

let checkMeanings: Map<unknown, JsonSchema> | undefined;

/** Check action -> its meaning; built on first use, so a mismatch fails the document, not the Worker. */
function meaningsByCheck(): Map<unknown, JsonSchema> {
  if (checkMeanings) return checkMeanings;
  const map = new Map<unknown, JsonSchema>();
  for (const [schema, meanings] of CHECK_MEANINGS) {
    const checks = flatPipe(schema).filter((item) => item.type === "check");
    if (checks.length !== meanings.length) {
      throw new Error(`openapi: a schema has ${checks.length} checks but ${meanings.length} documented meanings`);
    }
    checks.forEach((check, index) => map.set(check, meanings[index]!));
  }
  checkMeanings = map;
  return map;
}

function merge(target: JsonSchema, extra: JsonSchema): JsonSchema {
  const merged: Record<string, unknown> = { ...target, ...extra };
  if (target.description && extra.description) merged.description = `${target.description} ${extra.description}`;
  return merged as JsonSchema;
}

export interface ConvertOptions {
  /** "throw" in tests: any action or schema without a JSON Schema meaning fails the build. */
  errorMode?: ConversionConfig["errorMode"];
}

/** One valibot schema as the JSON Schema of what a client may send (or receives). */
export function jsonSchemaOf(schema: AnySchema, options: ConvertOptions = {}): JsonSchema {
  const config: ConversionConfig = {
    target: "draft-2020-12",
    typeMode: "input",
    errorMode: options.errorMode ?? "ignore",
    overrideAction: ({ valibotAction, jsonSchema }) => {
      const meaning = meaningsByCheck().get(valibotAction);
      return meaning ? merge(jsonSchema, meaning) : undefined;
    },
  };
  const json = toJsonSchema(schema, config) as Record<string, unknown>;
  delete json.$schema;
  revalidatedFields(schema, json, config);
  return json as JsonSchema;
}

/** Object fields whose pipeline transforms and then validates again: "" (absent) or the later rule. */
function revalidatedFields(schema: AnySchema, json: Record<string, unknown>, config: ConversionConfig): void {
  const root = (schema as { entries?: Record<string, AnySchema> }).entries ? schema : flatPipe(schema)[0];
  const entries = (root as { entries?: Record<string, AnySchema> } | undefined)?.entries;
  const properties = json.properties as Record<string, JsonSchema> | undefined;
  if (!entries || !properties) return;
  for (const [key, entry] of Object.entries(entries)) {
    const items = flatPipe(entry);
    const transform = items.findIndex((item) => item.type === "transform");
    const after = items.slice(transform + 1).find((item) => item.kind === "schema");
    if (transform < 0 || !after) continue;
    const rule = toJsonSchema(after as unknown as AnySchema, config) as Record<string, unknown>;
    delete rule.$schema;
    properties[key] = {
      anyOf: [{ type: "string", const: "", description: "An empty string counts as absent." }, rule as JsonSchema],
    };
  }
}
