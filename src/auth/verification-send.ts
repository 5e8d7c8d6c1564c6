// Sending a verification code (contract §3): limits, captcha past the per-IP threshold, the
// target check, then a code that becomes valid only if its delivery succeeded.
import { redeemCaptchaToken } from "../captcha/gate";
import { randomToken } from "../crypto/random";
import { ApiError } from "../errors";
import type { Services } from "../services";
import { codeSenderFor } from "../senders/sender";
import { channelOf, contactLookup, testCodeFor, type Contact, type Usage } from "./verification-contact";
import { generateCode, hashCode, hashSecret } from "./verification-code";
import { decideSend, type SendLimits } from "./verification-limits";

export const CODE_TTL_SECONDS = 600;

export type Target = "ANY" | "USER" | "NOT_USER";

export interface SendRequest {
  contact: Contact;
  target: Target;
  usage: Usage;
  /** CF-Connecting-IP, the only source of the client IP (contract §1). */
  clientIp: string | null;
  /** The captcha token the request carried (header or query), if any. */
  captchaToken: string | undefined;
}

export interface SendResponse {
  verification_id: string;
  expires_in: number;
  is_user: boolean;
}

async function passCaptcha(services: Services, request: SendRequest): Promise<void> {
  if (request.captchaToken === undefined) throw new ApiError("captcha_required");
  if (!(await redeemCaptchaToken(services, request.captchaToken, request.clientIp))) throw new ApiError("captcha_invalid");
}

function rateLimited(retryAfterSeconds: number): ApiError {
  return new ApiError("rate_limit_exceeded", {
    description: "Too many codes sent to this contact; retry later",
    headers: { "Retry-After": String(retryAfterSeconds) },
  });
}

export async function sendVerification(services: Services, request: SendRequest): Promise<SendResponse> {
  const { config, verifications } = services;
  const { contact } = request;
  const limits: SendLimits = { perContactPerDay: config.sendsPerContactPerDay, perIpPerHour: config.sendsPerIpPerHour };
  // A missing CF-Connecting-IP (only outside Cloudflare) shares one bucket: it fails closed.
  const ipKey = await hashSecret(`ip:${request.clientIp ?? ""}`);

  const verdict = decideSend(await verifications.history(contact.value, ipKey, services.now()), limits, services.now());
  if (verdict.kind === "rate_limited") throw rateLimited(verdict.retryAfterSeconds);
  // Past the per-IP threshold a captcha is spent here; getting past this line means it was valid.
  const captchaPassed = verdict.kind === "captcha_needed";
  if (captchaPassed) await passCaptcha(services, request);

  const user = await services.users.findByIdentifier(contactLookup(contact));
  const targetMiss =
    request.target === "USER" && !user ? "user_not_found" : request.target === "NOT_USER" && user ? "already_exists" : undefined;
  if (targetMiss) {
    // The answer tells whether the contact has an account: it costs from the IP's send budget.
    await verifications.recordProbe(ipKey, services.now());
    throw new ApiError(targetMiss);
  }

  const verificationId = randomToken(32);
  const code = testCodeFor(config, contact) ?? generateCode();
  const now = services.now();
  const idHash = await hashSecret(verificationId);
  const reserved = await verifications.reserve(
    {
      idHash,
      kind: contact.kind,
      contact: contact.value,
      usage: request.usage,
      codeHash: await hashCode(verificationId, code),
      ipKey,
      now,
      expiresAt: now + CODE_TTL_SECONDS * 1000,
    },
    limits,
    captchaPassed,
  );
  if (!reserved) {
    // A concurrent send took the last slot between the check and the insert: answer as it would now.
    const again = decideSend(await verifications.history(contact.value, ipKey, services.now()), limits, services.now());
    if (again.kind === "captcha_needed") throw new ApiError("captcha_required");
    throw rateLimited(again.kind === "rate_limited" ? again.retryAfterSeconds : 1);
  }

  // TEST_OTP codes are known in advance: nothing is delivered for them.
  if (testCodeFor(config, contact) === undefined) {
    try {
      const channel = channelOf(contact);
      await codeSenderFor(config, services.env, channel).send({
        channel,
        to: contact.value,
        code,
        expiresIn: CODE_TTL_SECONDS,
        usage: request.usage,
      });
    } catch (err) {
      // A send that did not go out counts against nothing and leaves no valid code.
      await verifications.discard(idHash);
      throw err;
    }
  }
  return { verification_id: verificationId, expires_in: CODE_TTL_SECONDS, is_user: user !== undefined };
}
