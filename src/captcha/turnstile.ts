// Cloudflare Turnstile (docs/protocol.md §7): the client's widget response is the captcha token, checked
// at TURNSTILE_SITEVERIFY_URL. Any failure (network, timeout, non-JSON, success:false) is a no,
// and so is a success for a widget on another site (hostname not in TURNSTILE_HOSTNAMES) or
// rendered for another action: a token solved elsewhere under the same site key is not ours.
import * as v from "valibot";
import type { Services } from "../services";

export const SITEVERIFY_TIMEOUT_MS = 5_000;
const SiteverifyAnswer = v.object({ success: v.boolean(), hostname: v.optional(v.string()), action: v.optional(v.string()) });

export async function redeemTurnstileToken(services: Services, token: string, remoteIp: string | null): Promise<boolean> {
  const { turnstileSecret, turnstileSiteverifyUrl, turnstileHostnames, turnstileAction } = services.config;
  if (!turnstileSecret) return false; // misconfigured: fail closed
  try {
    const response = await fetch(turnstileSiteverifyUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        secret: turnstileSecret,
        response: token,
        ...(remoteIp ? { remoteip: remoteIp } : {}),
        idempotency_key: crypto.randomUUID(),
      }),
      signal: AbortSignal.timeout(SITEVERIFY_TIMEOUT_MS),
    });
    if (!response.ok) return false;
    const answer = v.safeParse(SiteverifyAnswer, await response.json());
    if (!answer.success) return false;
    const { success, hostname, action } = answer.output;
    return success && hostname !== undefined && turnstileHostnames.includes(hostname.toLowerCase()) && action === turnstileAction;
  } catch {
    return false;
  }
}
