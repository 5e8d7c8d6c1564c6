// Bench-only Worker (never deployed, not part of the product): one PBKDF2-SHA256 per request at
// the product's iteration count, with the same Web Crypto calls src/crypto/password.ts makes
// (importKey raw + deriveBits, 16-byte salt, 32-byte output). `npm run bench` measures it as the
// ceiling a password sign-in can approach in the same workerd.
import { PBKDF2_ITERATIONS } from "../src/crypto/password";

const encoder = new TextEncoder();
// A fixed 16-byte salt (random values are not allowed at global scope; the cost is the same).
const SALT = new Uint8Array(16).map((_, i) => i * 17 + 3);

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/iterations") return Response.json({ iterations: PBKDF2_ITERATIONS });
    const password = encoder.encode("bench password 123".normalize("NFKC"));
    const key = await crypto.subtle.importKey("raw", password, "PBKDF2", false, ["deriveBits"]);
    await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt: SALT, iterations: PBKDF2_ITERATIONS }, key, 256);
    return new Response(null, { status: 204 });
  },
};
