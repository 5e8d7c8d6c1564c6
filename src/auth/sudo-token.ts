// Sudo tokens: proof that a signed-in user entered the password (or a code to one of their
// contacts) again moments ago. Stateless: `{sub, sid, exp}` sealed with AES-GCM under a key derived
// from the signing-key secret for this purpose alone, base64url (the js-sdk puts it in a query).
// Bound to the user and the session it was granted in, and short-lived.
import { utf8 } from "../crypto/encoding";
import { boxKeyFor, openBox, sealBox } from "../crypto/sealed-box";
import { ApiError } from "../errors";

export const SUDO_TOKEN_TTL_SECONDS = 900;
const SUDO_TOKEN_INFO = "edge-signin/sudo-token/v1";

interface SudoClaims {
  sub: string;
  sid: string;
  /** Epoch milliseconds. */
  exp: number;
}

const keyFor = (secret: string) => boxKeyFor(secret, SUDO_TOKEN_INFO);

export async function sealSudoToken(secret: string, userId: string, sessionId: string, now: number): Promise<string> {
  const claims: SudoClaims = { sub: userId, sid: sessionId, exp: now + SUDO_TOKEN_TTL_SECONDS * 1000 };
  return sealBox(await keyFor(secret), utf8.encode(JSON.stringify(claims)));
}

// Never `unauthenticated`: the clients would drop their (valid) session.
const badSudoToken = () => new ApiError("invalid_grant", { description: "The sudo token is invalid, expired or not for this session" });

/** Passes when `token` was granted to this user in this session and has not expired; invalid_grant otherwise. */
export async function requireSudoToken(
  secret: string,
  token: string | undefined,
  signedIn: { userId: string; sessionId: string },
  now: number,
): Promise<void> {
  if (token === undefined || token.length > 1024) throw badSudoToken();
  const opened = await openBox(await keyFor(secret), token);
  if (!opened) throw badSudoToken();
  const claims = JSON.parse(new TextDecoder().decode(opened)) as SudoClaims;
  if (claims.sub !== signedIn.userId || claims.sid !== signedIn.sessionId || now >= claims.exp) throw badSudoToken();
}
