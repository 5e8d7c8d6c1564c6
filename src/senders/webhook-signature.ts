// Standard Webhooks signing (https://www.standardwebhooks.com): the signature is
// `v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">`. A secret written as
// `whsec_<base64>` is the spec's form and is keyed with the decoded bytes; any other secret is
// keyed with its UTF-8 bytes as written.
import { ConfigError } from "../config";
import { utf8 } from "../crypto/encoding";

const SPEC_PREFIX = "whsec_";

/** The HMAC key bytes of a WEBHOOK_SECRET. */
export function webhookKeyBytes(secret: string): Uint8Array {
  if (!secret.startsWith(SPEC_PREFIX)) return utf8.encode(secret);
  const encoded = secret.slice(SPEC_PREFIX.length);
  try {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) throw new Error("not base64");
    return Uint8Array.from(atob(encoded), (char) => char.charCodeAt(0));
  } catch {
    throw new ConfigError("Configuration variable WEBHOOK_SECRET starts with whsec_ but the rest is not base64");
  }
}

export function importWebhookKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", webhookKeyBytes(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The `webhook-signature` header value for one message. */
export async function signWebhook(key: CryptoKey, id: string, timestamp: number, body: string): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", key, utf8.encode(`${id}.${timestamp}.${body}`));
  return `v1,${toBase64(new Uint8Array(mac))}`;
}
