// The contacts' Durable Objects (ContactVerifier, binding CONTACTS) behind one interface: the only
// place that touches the binding. Verification ids and tokens carry their contact, sealed
// (contact-routes.ts), so finding the object needs no lookup; the objects are given only hashes
// of them.
// An object that cannot be reached fails closed: 503 `unavailable`, never a pass.
import type { Contact, TokenUsages, Usage } from "../auth/verification-contact";
import type { ContactPolicy, ContactSendVerdict } from "../auth/verification-limits";
import type { ContactVerifier } from "../contacts/contact-object";
import { sha256Base64Url } from "../crypto/compare";
import type { Env } from "../env";
import { failClosed } from "./fail-closed";
import { contactObjectName, ContactRoutes } from "./contact-routes";

export interface CodeSend {
  verificationId: string;
  /** HMAC-SHA256(key = verification id, code). */
  codeHash: string;
  usage: Usage;
  expiresAt: number;
  /** The request passed a captcha. */
  captcha: boolean;
  /** The signed-in user who asked for the code, if any: its right code leaves them a proof. */
  requestedBy?: string;
}

export type GuessResult =
  | { kind: "verified"; token: string }
  /** Wrong, unknown, superseded, expired or used up. */
  | { kind: "refused" }
  /** The contact's wrong-code budget is spent: only a code sent with a captcha verifies. */
  | { kind: "new_code_needed" };

/** A verification token held by one redemption until it completes or is released. */
export interface TokenClaim {
  token: string;
  contact: Contact;
  usage: Usage;
  /** Names this redemption: only it can release the token. */
  claim: string;
}

export interface ContactStore {
  /** A fresh verification id that routes to the contact's object. */
  newVerificationId(contact: Contact): Promise<string>;
  /** The contact a verification id or token routes to (authenticated, before asking its object). */
  contactOf(secret: string): Promise<Contact | undefined>;
  /**
   * Checks the contact's limits and, if they (or a passed captcha) let it through, records the
   * send and its code (superseding earlier codes but those sent less than a minute ago).
   */
  recordSend(contact: Contact, send: CodeSend, policy: ContactPolicy, now: number): Promise<ContactSendVerdict>;
  /** Forgets a recorded send whose delivery failed: it counts for nothing and leaves no code. */
  discardSend(verificationId: string, now: number): Promise<void>;
  /** Spends one guess: the new verification token when it was the right code, else why not. */
  spendGuess(verificationId: string, codeHash: string, tokenExpiresAt: number, policy: ContactPolicy, now: number): Promise<GuessResult>;
  /** Atomically marks an unused token of one of `usages` (for its contact's kind) as used; undefined for any other token. */
  claimToken(token: string, usages: TokenUsages, now: number): Promise<TokenClaim | undefined>;
  /** Gives a claimed token back, usable again. */
  releaseToken(claim: TokenClaim, now: number): Promise<void>;
  /** Uses up a proof that `userId` verified `contact` moments ago (a code they asked for while signed in). */
  takeProof(contact: Contact, userId: string, now: number): Promise<boolean>;
}

type Verifier = DurableObjectStub<ContactVerifier>;

export class DurableContactStore implements ContactStore {
  private readonly routes: ContactRoutes;

  /** `routeSecret` keys the sealed contact in ids and tokens (the signing-key secret). */
  constructor(
    private readonly env: Env,
    routeSecret: string,
  ) {
    this.routes = new ContactRoutes(routeSecret);
  }

  /** Named by the normalised contact (`phone:+86 13800138000`), an email by its canonical mailbox. */
  private verifierOf(contact: Contact): Verifier {
    return this.env.CONTACTS.get(this.env.CONTACTS.idFromName(contactObjectName(contact)));
  }

  newVerificationId(contact: Contact): Promise<string> {
    return this.routes.routedSecret(contact);
  }

  contactOf(secret: string): Promise<Contact | undefined> {
    return this.routes.contactOf(secret);
  }

  async recordSend(contact: Contact, send: CodeSend, policy: ContactPolicy, now: number): Promise<ContactSendVerdict> {
    // The object keeps the id's hash, never the id.
    const idHash = await sha256Base64Url(send.verificationId);
    const { codeHash, usage, expiresAt, captcha, requestedBy } = send;
    const recorded = { contact, idHash, codeHash, usage, expiresAt, captcha, ...(requestedBy ? { requestedBy } : {}) };
    return failClosed(async () => await this.verifierOf(contact).recordSend(recorded, policy, now));
  }

  async discardSend(verificationId: string, now: number): Promise<void> {
    const contact = await this.routes.contactOf(verificationId);
    if (!contact) return;
    const verifier = this.verifierOf(contact);
    const idHash = await sha256Base64Url(verificationId);
    await failClosed(() => verifier.discardSend(idHash, now));
  }

  async spendGuess(verificationId: string, codeHash: string, tokenExpiresAt: number, policy: ContactPolicy, now: number): Promise<GuessResult> {
    const contact = await this.routes.contactOf(verificationId);
    if (!contact) return { kind: "refused" };
    const verifier = this.verifierOf(contact);
    // The token routes to the same object as the id it was verified with.
    const token = await this.routes.routedSecret(contact);
    const [idHash, tokenHash] = await Promise.all([sha256Base64Url(verificationId), sha256Base64Url(token)]);
    const outcome = await failClosed(() => verifier.spendGuess({ idHash, codeHash, tokenHash, tokenExpiresAt }, policy, now));
    if (outcome === "verified") return { kind: "verified", token };
    return outcome === "new_code_needed" ? { kind: "new_code_needed" } : { kind: "refused" };
  }

  async claimToken(token: string, usages: TokenUsages, now: number): Promise<TokenClaim | undefined> {
    const contact = await this.routes.contactOf(token);
    if (!contact) return undefined;
    const verifier = this.verifierOf(contact);
    const tokenHash = await sha256Base64Url(token);
    const claimed = await failClosed(() => verifier.claimToken(tokenHash, usages[contact.kind], now));
    // The token's own (sealed, authenticated) contact: one object serves every +tag of a mailbox,
    // so the contact it last sent to may be another address than the one this token proved.
    return claimed && { token, contact, usage: claimed.usage, claim: claimed.claim };
  }

  async releaseToken(claim: TokenClaim, now: number): Promise<void> {
    const verifier = this.verifierOf(claim.contact);
    const tokenHash = await sha256Base64Url(claim.token);
    await failClosed(() => verifier.releaseToken(tokenHash, claim.claim, now));
  }

  takeProof(contact: Contact, userId: string, now: number): Promise<boolean> {
    return failClosed(async () => await this.verifierOf(contact).takeProof(userId, now));
  }
}
