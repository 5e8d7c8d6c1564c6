// The form of verification ids and verification tokens: `<object id>.<secret>`. The object id (the
// 64 hex digits of DurableObjectId.toString()) names the contact's Durable Object, so a request
// finds it without any lookup; the secret is 32 random bytes in base64url. Both parts are URL-safe.
import { randomToken } from "../crypto/random";

const ROUTED = /^([0-9a-f]{64})\.[A-Za-z0-9_-]{43}$/;

/** A fresh secret that routes to the object `objectId`. */
export function routedSecret(objectId: string): string {
  return `${objectId}.${randomToken(32)}`;
}

/** The object id a routed secret names; undefined for anything of another form. */
export function routeOf(secret: string): string | undefined {
  return ROUTED.exec(secret)?.[1];
}
