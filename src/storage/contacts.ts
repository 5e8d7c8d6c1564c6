// The contacts' Durable Objects (ContactVerifier, binding CONTACTS) behind one interface: the only
// place that touches the binding. Verification ids and tokens carry their contact, sealed
// (contact-routes.ts), so finding the object needs no lookup; the objects are given only hashes
// of them.
// An object that cannot be reached fails closed: 503 `unavailable`, never a pass.
import type { Contact, TokenUsages, Usage } from "../auth/verification-contact";
import type { ContactSendVerdict } from "../auth/verification-limits";
import type { ContactVerifier } from "../contacts/contact-object";
import { sha256Base64Url } from "../crypto/compare";
import type { Env } from "../env";
import { failClosed } from "./fail-closed";
import { contactName, ContactRoutes } from "./contact-routes";

export interface CodeSend {
  verificationId: string;
  /** HMAC-SHA256(key = verification id, code). */
  codeHash: string;
  usage: Usage;
  expiresAt: number;
  /** The signed-in user who asked for the code, if any: its right code leaves them a proof. */
  requestedBy?: string;
}

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
  /** The contact's send limits, without recording anything. */
  checkSend(contact: Contact, perContactPerDay: number, now: number): Promise<ContactSendVerdict>;
  /** Checks the contact's limits and, if they allow it, records the send and its code (superseding earlier codes). */
  recordSend(contact: Contact, send: CodeSend, perContactPerDay: number, now: number): Promise<ContactSendVerdict>;
  /** Forgets a recorded send whose delivery failed: it counts for nothing and leaves no code. */
  discardSend(verificationId: string, now: number): Promise<void>;
  /** Spends one guess; the new verification token when it was the right code, else undefined. */
  spendGuess(verificationId: string, codeHash: string, tokenExpiresAt: number, now: number): Promise<string | undefined>;
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

  /** Named by the normalised contact, in the form identifiers.ts gives it (`phone:+86 13800138000`). */
  private verifierOf(contact: Contact): Verifier {
    return this.env.CONTACTS.get(this.env.CONTACTS.idFromName(contactName(contact)));
  }

  newVerificationId(contact: Contact): Promise<string> {
    return this.routes.routedSecret(contact);
  }

  contactOf(secret: string): Promise<Contact | undefined> {
    return this.routes.contactOf(secret);
  }

  checkSend(contact: Contact, perContactPerDay: number, now: number): Promise<ContactSendVerdict> {
    return failClosed(async () => await this.verifierOf(contact).checkSend(perContactPerDay, now));
  }

  async recordSend(contact: Contact, send: CodeSend, perContactPerDay: number, now: number): Promise<ContactSendVerdict> {
    // The object keeps the id's hash, never the id.
    const idHash = await sha256Base64Url(send.verificationId);
    const recorded = {
      contact,
      idHash,
      codeHash: send.codeHash,
      usage: send.usage,
      expiresAt: send.expiresAt,
      ...(send.requestedBy ? { requestedBy: send.requestedBy } : {}),
    };
    return failClosed(async () => await this.verifierOf(contact).recordSend(recorded, perContactPerDay, now));
  }

  async discardSend(verificationId: string, now: number): Promise<void> {
    const contact = await this.routes.contactOf(verificationId);
    if (!contact) return;
    const verifier = this.verifierOf(contact);
    const idHash = await sha256Base64Url(verificationId);
    await failClosed(() => verifier.discardSend(idHash, now));
  }

  async spendGuess(verificationId: string, codeHash: string, tokenExpiresAt: number, now: number): Promise<string | undefined> {
    const contact = await this.routes.contactOf(verificationId);
    if (!contact) return undefined;
    const verifier = this.verifierOf(contact);
    // The token routes to the same object as the id it was verified with.
    const token = await this.routes.routedSecret(contact);
    const [idHash, tokenHash] = await Promise.all([sha256Base64Url(verificationId), sha256Base64Url(token)]);
    const verified = await failClosed(() => verifier.spendGuess({ idHash, codeHash, tokenHash, tokenExpiresAt }, now));
    return verified ? token : undefined;
  }

  async claimToken(token: string, usages: TokenUsages, now: number): Promise<TokenClaim | undefined> {
    const contact = await this.routes.contactOf(token);
    if (!contact) return undefined;
    const verifier = this.verifierOf(contact);
    const tokenHash = await sha256Base64Url(token);
    const claimed = await failClosed(() => verifier.claimToken(tokenHash, usages[contact.kind], now));
    return claimed && { token, contact: claimed.contact, usage: claimed.usage, claim: claimed.claim };
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
