// What an identity vouched for by a provider does to accounts (docs/providers.md): sign in the
// user it is linked to; or link it to the user with the same email when the provider asserts the
// email as verified and the operator allows it; or create a user (sign-up on); and bind, list and
// unlink for a signed-in user. A provider token is spent only once the request is going to use
// it: a sign-in answered user_not_found leaves it for POST /signup {provider_token}.
import { randomUserId } from "../crypto/random";
import { ApiError } from "../errors";
import type { PresentedIdentity } from "../providers/flows";
import type { ProviderIdentity } from "../providers/flow-state";
import type { Services } from "../services";
import { linkStatement } from "../storage/identities";
import { IdentityConflictError } from "../storage/identities";
import { UserConflictError, type User } from "../storage/users";
import { openSession, type TokenResponse } from "./session-issuer";
import { requireEnabled, requireProviderEnabled } from "./switches";

const spentMeanwhile = () => new ApiError("invalid_grant", { description: "The provider token is invalid, expired or used" });

const emailTaken = (provider: string) =>
  new ApiError("failed_precondition", {
    description: `An account with this email exists; sign in to it and link ${provider} there`,
  });

async function userById(services: Services, id: string): Promise<User | undefined> {
  return (await services.users.findById(id)) ?? (await services.users.findByIdFresh(id));
}

async function spendOrRefuse(presented: PresentedIdentity): Promise<void> {
  if (!(await presented.spend())) throw spentMeanwhile();
}

export interface NewAccountFields {
  username?: string;
  passwordHash?: string | null;
  name?: string;
}

/** A user for the identity, created with its link in one transaction. */
async function createWithIdentity(services: Services, identity: ProviderIdentity, fields: NewAccountFields): Promise<User> {
  const now = services.now();
  const id = randomUserId();
  try {
    return await services.users.insertWith(
      {
        id,
        username: fields.username ?? null,
        phone: null,
        // Only an email the provider vouches for becomes the account's email.
        email: identity.emailVerified ? identity.email : null,
        name: fields.name ?? identity.name,
        picture: identity.picture ?? null,
        passwordHash: fields.passwordHash ?? null,
      },
      now,
      [linkStatement({ provider: identity.provider, subject: identity.subject, userId: id, email: identity.email, name: identity.name }, now)],
    );
  } catch (err) {
    if (err instanceof UserConflictError) throw new ApiError("already_exists");
    throw err;
  }
}

/** The user with the identity's email, when there is one (the primary: a decision to link or refuse). */
async function userWithEmail(services: Services, identity: ProviderIdentity): Promise<User | undefined> {
  return identity.email ? services.users.findByIdentifierFresh({ email: identity.email }) : undefined;
}

/** POST /signin/with/provider: sign in (linking or signing up as the configuration allows). */
export async function signInWithIdentity(services: Services, presented: PresentedIdentity): Promise<TokenResponse> {
  const { identity } = presented;
  await requireProviderEnabled(services, identity.provider);
  const entry = services.config.providers.get(identity.provider)!;
  const linked = await services.identities.find(identity.provider, identity.subject);
  if (linked) {
    const user = await userById(services, linked.userId);
    if (!user) throw new ApiError("user_not_found");
    await spendOrRefuse(presented);
    return openSession(services, user);
  }
  const existing = await userWithEmail(services, identity);
  if (existing) {
    // Linking by email only on the provider's word that the email is verified, and only if the
    // operator trusts this provider's word (link_verified_email).
    if (!identity.emailVerified || !entry.link_verified_email) throw emailTaken(identity.provider);
    await spendOrRefuse(presented);
    await linkTo(services, existing, identity);
    return openSession(services, existing);
  }
  if (!entry.auto_signup) {
    throw new ApiError("user_not_found", {
      description: "No account has this identity; sign up with POST /auth/v1/signup {provider_token}",
    });
  }
  await requireEnabled(services, "signup");
  await spendOrRefuse(presented);
  return openSession(services, await createWithIdentity(services, identity, {}));
}

/** POST /signup {provider_token}: a new user with the identity linked. */
export async function signUpWithIdentity(services: Services, presented: PresentedIdentity, fields: NewAccountFields): Promise<TokenResponse> {
  const { identity } = presented;
  await requireEnabled(services, "signup");
  await requireProviderEnabled(services, identity.provider);
  if (await services.identities.find(identity.provider, identity.subject)) throw new ApiError("already_exists");
  if (await userWithEmail(services, identity)) throw emailTaken(identity.provider);
  await spendOrRefuse(presented);
  return openSession(services, await createWithIdentity(services, identity, fields));
}

async function linkTo(services: Services, user: User, identity: ProviderIdentity): Promise<void> {
  try {
    await services.identities.link(
      { provider: identity.provider, subject: identity.subject, userId: user.id, email: identity.email, name: identity.name },
      services.now(),
    );
  } catch (err) {
    if (err instanceof IdentityConflictError) {
      throw new ApiError("failed_precondition", {
        description: `This ${identity.provider} identity is linked to an account already, or the account has another ${identity.provider} identity`,
      });
    }
    throw err;
  }
}

/** POST /user/provider/bind: links the identity to the signed-in user. */
export async function bindIdentity(services: Services, user: User, presented: PresentedIdentity): Promise<void> {
  const { identity } = presented;
  await requireProviderEnabled(services, identity.provider);
  const linked = await services.identities.find(identity.provider, identity.subject);
  if (linked && linked.userId !== user.id) {
    throw new ApiError("failed_precondition", { description: `This ${identity.provider} identity is linked to another account` });
  }
  await spendOrRefuse(presented);
  if (!linked) await linkTo(services, user, identity);
}

export interface ProviderListing {
  total: number;
  data: { id: string; name: string; provider_user_name: string | null; bind: boolean }[];
}

/** GET /user/provider: every configured provider, and whether the user has linked it. */
export async function listIdentities(services: Services, user: User): Promise<ProviderListing> {
  const links = new Map((await services.identities.listForUser(user.id)).map((link) => [link.provider, link]));
  const data = [...services.config.providers.values()].map((entry) => {
    const link = links.get(entry.id);
    return { id: entry.id, name: entry.name ?? entry.id, provider_user_name: link ? (link.name ?? link.email) : null, bind: link !== undefined };
  });
  return { total: data.length, data };
}

/** DELETE /user/provider/{id}: refused for the account's last way to sign in. */
export async function unlinkIdentity(services: Services, user: User, providerId: string): Promise<void> {
  const outcome = await services.identities.unlinkUnlessLast(user.id, providerId);
  if (outcome === "last") {
    throw new ApiError("failed_precondition", {
      description: "This identity is the account's last way to sign in; add a password, phone number, email or another provider first",
    });
  }
}
