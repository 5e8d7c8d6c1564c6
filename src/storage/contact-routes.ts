// The form of verification ids and verification tokens: `<sealed contact>.<secret>`. The first
// part is the contact (`phone:+86 ...` / `email:...`) sealed with AES-GCM under a key derived from
// the signing-key secret: the Worker finds the contact's Durable Object without any lookup, and
// knows the contact before asking the object (so a code sign-in reads the user in parallel),
// while the client learns nothing it did not send. A part that does not open (forged, altered,
// sealed before a signing-key rotation) names no object. The secret is 32 random bytes; only its
// hash (with the whole id or token) is ever stored. Both parts are base64url: URL-safe.
import { canonicalMailbox } from "../auth/identifiers";
import type { Contact, ContactKind } from "../auth/verification-contact";
import { utf8 } from "../crypto/encoding";
import { randomToken } from "../crypto/random";
import { boxKeyFor, openBox, sealBox } from "../crypto/sealed-box";

const ROUTED = /^([A-Za-z0-9_-]{40,600})\.[A-Za-z0-9_-]{43}$/;
const ROUTE_INFO = "edge-signin/contact-route/v1";
const KINDS: readonly ContactKind[] = ["phone", "email"];

const keyFor = (secret: string) => boxKeyFor(secret, ROUTE_INFO);

/** `phone:+86 13800138000`, `email:user+tag@example.com`: what a route seals (the contact as given). */
export const contactName = (contact: Contact) => `${contact.kind}:${contact.value}`;

/**
 * The name of the object that holds the contact's codes, limits and tokens: an email's canonical
 * mailbox, so `user+a@`, `user+b@` and `user@` share one set of limits.
 */
export const contactObjectName = (contact: Contact) =>
  contact.kind === "email" ? `email:${canonicalMailbox(contact.value)}` : contactName(contact);

export class ContactRoutes {
  constructor(private readonly secret: string) {}

  /** A fresh secret that routes to `contact`'s object. */
  async routedSecret(contact: Contact): Promise<string> {
    const route = await sealBox(await keyFor(this.secret), utf8.encode(contactName(contact)));
    return `${route}.${randomToken(32)}`;
  }

  /** The contact a routed secret names; undefined for anything else. */
  async contactOf(secret: string): Promise<Contact | undefined> {
    const route = ROUTED.exec(secret)?.[1];
    if (route === undefined) return undefined;
    const opened = await openBox(await keyFor(this.secret), route);
    if (!opened) return undefined;
    const name = new TextDecoder().decode(opened);
    const colon = name.indexOf(":");
    const kind = name.slice(0, colon) as ContactKind;
    return KINDS.includes(kind) ? { kind, value: name.slice(colon + 1) } : undefined;
  }
}
