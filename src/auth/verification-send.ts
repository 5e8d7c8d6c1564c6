// Sending a verification code (docs/protocol.md §3), in the order of docs/verification.md: the switches,
// the captcha past the per-IP budget, the target check, the contact's gates (a captcha within a
// minute of its last send, past its daily budget or its wrong-code budget), then a code that stays
// valid only if its delivery succeeded. On the common path (the IP under its budget) that is the
// IP's slot and the user lookup together, then one call to the contact's object, then the delivery.
import type { VerificationSent } from "../api/answers";
import { redeemCaptchaToken } from "../captcha/gate";
import { ApiError } from "../errors";
import type { Defer } from "../http/background";
import type { Services } from "../services";
import { codeSenderFor } from "../senders/sender";
import type { User } from "../storage/users";
import { takeChannelSlot } from "./channel-budget";
import { takeSendSlot } from "./send-budget";
import { requireCodeUsable } from "./switches";
import { channelOf, testCodeFor, type Contact, type Usage } from "./verification-contact";
import { generateCode, hashCode } from "./verification-code";
import type { ContactSendVerdict } from "./verification-limits";

export const CODE_TTL_SECONDS = 600;

export type Target = "ANY" | "USER" | "NOT_USER";

export interface SendRequest {
  contact: Contact;
  target: Target;
  usage: Usage;
  /** CF-Connecting-IP, the only source of the client IP (docs/protocol.md §1). */
  clientIp: string | null;
  /** The captcha token the request carried (header or query), if any. */
  captchaToken: string | undefined;
  requestId: string;
  /** The signed-in user asking (a genuine bearer): the right code leaves them a proof of the contact. */
  requestedBy?: string;
}

async function passCaptcha(services: Services, request: SendRequest): Promise<void> {
  if (request.captchaToken === undefined) throw new ApiError("captcha_required");
  if (!(await redeemCaptchaToken(services, request.captchaToken, request.clientIp))) throw new ApiError("captcha_invalid");
}

/** The contact asks for a captcha; waiting also lifts the cooldown and the daily budget. */
function contactCaptchaRequired(verdict: Exclude<ContactSendVerdict, { kind: "allowed" }>): ApiError {
  const description = {
    cooldown: "A code was sent to this contact less than a minute ago: solve a captcha, or retry later",
    daily_budget: "This contact's daily code budget is used up: solve a captcha, or retry later",
    wrong_codes: "Too many wrong codes for this contact: solve a captcha to get a new code",
  }[verdict.reason];
  const headers = verdict.retryAfterSeconds === undefined ? undefined : { "Retry-After": String(verdict.retryAfterSeconds) };
  return new ApiError("captcha_required", { description, ...(headers ? { headers } : {}) });
}

/**
 * USER: some account holds the contact as its phone or email. NOT_USER: no account holds it at all,
 * also not as a username (one identifier, one account: sign-up would refuse it).
 */
function targetMissOf(target: Target, user: User | undefined, holder: User | undefined): "user_not_found" | "already_exists" | undefined {
  if (target === "USER" && !user) return "user_not_found";
  if (target === "NOT_USER" && holder) return "already_exists";
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

export async function sendVerification(services: Services, request: SendRequest, defer: Defer): Promise<VerificationSent> {
  const { config, contacts } = services;
  const { contact } = request;
  await requireCodeUsable(services, request.usage);
  const verificationId = await contacts.newVerificationId(contact);
  const code = testCodeFor(config, contact) ?? generateCode();
  // Nothing may throw between taking the slots and the try below: its finally gives them back.
  const slot = takeSendSlot(services, request.clientIp, defer);
  const channelSlot = takeChannelSlot(services, channelOf(contact), request.requestId, defer);
  // Whether the IP's slot stays taken: a send that went out, or a target check that answered.
  let keepSlot = false;
  // The channel's budget counts only a send that went out.
  let sent = false;
  try {
    const [underBudget, , holder, codeHash] = await Promise.all([
      slot.taken,
      channelSlot.admitted,
      // The account holding this identifier in any column (the contact's normalised form is its key).
      services.users.findByKey(contact.value),
      hashCode(verificationId, code),
    ]);
    const user = holder && (holder.email === contact.value || holder.phone === contact.value) ? holder : undefined;
    const targetMiss = targetMissOf(request.target, user, holder);
    // One captcha, one send: a token spent on the IP's budget also passes the contact's gates.
    let captchaPassed = false;
    if (!underBudget) {
      await passCaptcha(services, request);
      captchaPassed = true;
    }
    if (targetMiss) {
      // The answer tells whether the contact has an account: it costs from the IP's budget.
      keepSlot = true;
      throw new ApiError(targetMiss);
    }
    const record = (captcha: boolean) => {
      const now = services.now();
      const send = {
        verificationId,
        codeHash,
        usage: request.usage,
        expiresAt: now + CODE_TTL_SECONDS * 1000,
        captcha,
        ...(request.requestedBy ? { requestedBy: request.requestedBy } : {}),
      };
      return contacts.recordSend(contact, send, config.contactPolicy, now);
    };
    // The contact's limits never refuse outright: past them a send needs a captcha, so someone
    // who knows only the contact cannot keep its owner from getting a code.
    const verdict = await record(captchaPassed);
    if (verdict.kind !== "allowed") {
      if (request.captchaToken === undefined) throw contactCaptchaRequired(verdict);
      await passCaptcha(services, request);
      await record(true);
    }
    await deliver(services, request, verificationId, code);
    keepSlot = true;
    sent = true;
    return { verification_id: verificationId, expires_in: CODE_TTL_SECONDS, is_user: user !== undefined };
  } finally {
    if (!keepSlot) slot.giveBack();
    channelSlot.finish(sent);
  }
}
