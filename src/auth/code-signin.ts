// Verification-code sign-in (contract §2/§3): redeems a verification_token for a session.
import { ApiError } from "../errors";
import type { Services } from "../services";
import type { TokenResponse } from "./session-issuer";

/** Not yet built: answers 501 until the verification API lands. */
export async function signInWithVerificationToken(_services: Services, _token: string): Promise<TokenResponse> {
  throw new ApiError("unimplemented", { description: "Verification-code sign-in is not available yet" });
}
