// JSON GETs to a provider's own API where oauth4webapi has nothing to offer (GitHub's REST API,
// WeChat's sns endpoints): a timeout, no redirect followed, the body read as JSON whatever its
// content type (WeChat answers text/plain) and checked with valibot. A failure names the step and
// what went wrong, never the URL (WeChat's carries the app secret) nor the body.
import * as v from "valibot";
import { ProviderCallError } from "./provider-error";

type Step = ProviderCallError["step"];
type Entry = { id: string; timeout_ms: number };

/** Bigger answers than any of these endpoints gives are refused unread. */
const MAX_BODY_CHARS = 256 * 1024;

async function answerOf(entry: Entry, url: URL, headers: Record<string, string>): Promise<Response> {
  try {
    return await fetch(url, { headers, redirect: "manual", signal: AbortSignal.timeout(entry.timeout_ms) });
  } catch (err) {
    // Only the error's kind: a runtime's message may quote the URL.
    const kind = err instanceof Error && err.name === "TimeoutError" ? `timed out after ${entry.timeout_ms} ms` : "the request failed";
    throw new Error(kind);
  }
}

/** GETs `url`; anything but a 200 whose JSON body matches `schema` fails (a ProviderCallError). */
export async function getJson<S extends v.GenericSchema>(
  entry: Entry,
  step: Step,
  url: URL,
  headers: Record<string, string>,
  schema: S,
): Promise<v.InferOutput<S>> {
  try {
    const response = await answerOf(entry, url, headers);
    const text = await response.text();
    if (response.status !== 200) throw new Error(`answered HTTP ${response.status}`);
    if (text.length > MAX_BODY_CHARS) throw new Error("answered an oversized body");
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new Error("answered a body that is not JSON");
    }
    const parsed = v.safeParse(schema, json);
    if (!parsed.success) {
      // The path and what was expected: valibot's message may quote the value received.
      const issue = parsed.issues[0];
      throw new Error(`answered an unexpected body (${v.getDotPath(issue) ?? "the body"}: expected ${issue.expected ?? issue.type})`);
    }
    return parsed.output;
  } catch (err) {
    throw new ProviderCallError(entry.id, step, err);
  }
}
