// Sending a verification code (contract §3), in the order of docs/verification.md: the contact's
// limits, the captcha past the per-IP budget, the target check, then a code that stays valid only
// if its delivery succeeded. On the common path (the IP under its budget) that is the IP's slot
// and the user lookup together, then one call to the contact's object, then the delivery.
import { redeemCaptchaToken } from "../captcha/gate";
import { ApiError } from "../errors";
import type { Defer } from "../http/background";
import type { Services } from "../services";
import { codeSenderFor } from "../senders/sender";
import type { User } from "../storage/users";
import { takeSendSlot } from "./send-budget";
import { channelOf, contactLookup, testCodeFor, type Contact, type Usage } from "./verification-contact";
import { generateCode, hashCode } from "./verification-code";
import type { ContactSendVerdict } from "./verification-limits";

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
  /** The signed-in user asking (a genuine bearer): the right code leaves them a proof of the contact. */
  requestedBy?: string;
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

function refuseIfLimited(verdict: ContactSendVerdict): void {
  if (verdict.kind === "allowed") return;
  throw new ApiError("rate_limit_exceeded", {
    description: "Too many codes sent to this contact; retry later",
    headers: { "Retry-After": String(verdict.retryAfterSeconds) },
  });
}

function targetMissOf(target: Target, user: User | undefined): "user_not_found" | "already_exists" | undefined {
  if (target === "USER" && !user) return "user_not_found";
  if (target === "NOT_USER" && user) return "already_exists";
  return undefined;
}

/** Hands the code to the sender; a send that did not go out is discarded (it counts for nothing, leaves no code). */
async function deliver(services: Services, request: SendRequest, verificationId: string, code: string): Promise<void> {
  const { config, env } = services;
  // TEST_OTP codes are known in advance: nothing is delivered for them.
  if (testCodeFor(config, request.contact) !== undefined) return;
  try {
    const channel = channelOf(request.contact);
    await codeSenderFor(config, env, channel).send({
      channel,
      to: request.contact.value,
      code,
      expiresIn: CODE_TTL_SECONDS,
      usage: request.usage,
    });
  } catch (err) {
    await services.contacts.discardSend(verificationId, services.now());
    throw err;
  }
}

export async function sendVerification(services: Services, request: SendRequest, defer: Defer): Promise<SendResponse> {
  const { config, contacts } = services;
  const { contact } = request;
  const perDay = config.sendsPerContactPerDay;
  const slot = takeSendSlot(services, request.clientIp, defer);
  const verificationId = await contacts.newVerificationId(contact);
  const code = testCodeFor(config, contact) ?? generateCode();
  // Whether the IP's slot stays taken: a send that went out, or a target check that answered.
  let keepSlot = false;
  try {
    const [underBudget, user, codeHash] = await Promise.all([
      slot.taken,
      services.users.findByIdentifier(contactLookup(contact)),
      hashCode(verificationId, code),
    ]);
    const targetMiss = targetMissOf(request.target, user);
    if (!underBudget || targetMiss) {
      // The contact's limits answer first: a captcha cannot lift them (so none is spent on a
      // refused send), and a refused send learns nothing from the target check.
      refuseIfLimited(await contacts.checkSend(contact, perDay, services.now()));
      if (!underBudget) await passCaptcha(services, request);
      if (targetMiss) {
        // The answer tells whether the contact has an account: it costs from the IP's budget.
        keepSlot = true;
        throw new ApiError(targetMiss);
      }
    }
    const now = services.now();
    const send = {
      verificationId,
      codeHash,
      usage: request.usage,
      expiresAt: now + CODE_TTL_SECONDS * 1000,
      ...(request.requestedBy ? { requestedBy: request.requestedBy } : {}),
    };
    refuseIfLimited(await contacts.recordSend(contact, send, perDay, now));
    await deliver(services, request, verificationId, code);
    keepSlot = true;
    return { verification_id: verificationId, expires_in: CODE_TTL_SECONDS, is_user: user !== undefined };
  } finally {
    if (!keepSlot) slot.giveBack();
  }
}
