// Authorization, minimal but real: an identity is "admin" (anyone's MFA and users) or "self"
// (only its own user's), an MFA-conditioned deny policy can be attached, and AWS's built-in rule
// that changing one's own MFA needs an MFA-authenticated session.
import { errors } from './errors.ts';
import { arnOf } from './identity.ts';
import type { Identity } from './identity.ts';
import type { Account, User } from './model.ts';

/** Actions AWS's sample self-management policy denies unless aws:MultiFactorAuthPresent. */
const DENIED_WITHOUT_MFA = new Set(['iam:DeactivateMFADevice', 'iam:DeleteVirtualMFADevice']);
/** Actions AWS refuses on one's own devices from a session without MFA. */
const SELF_NEEDS_MFA = DENIED_WITHOUT_MFA;

export interface Target {
  /** The user the resource belongs to; none (e.g. CreateUser) means only an admin may act. */
  owner: User | undefined;
  /** As AWS prints it in AccessDenied: `user NAME`, or an ARN. */
  resource: string;
}

export function callerUser(identity: Identity): User | undefined {
  return identity.kind === 'user' || identity.kind === 'user-session' ? identity.user : undefined;
}

/** Throws AccessDenied unless `identity` may perform `action` on `target`. */
export function authorize(account: Account, identity: Identity, action: string, target: Target): void {
  const principal = identity.kind === 'role-session' ? identity.role : callerUser(identity);
  if (!principal) throw errors.missingAuthenticationToken();
  const arn = arnOf(identity, account.accountId);

  // Explicit deny wins over any allow; role sessions never have MFA present.
  if (principal.mfaDenyPolicy && DENIED_WITHOUT_MFA.has(action) && !identity.mfa) {
    throw errors.notAuthorized(arn, action, target.resource, true);
  }
  const caller = callerUser(identity);
  const own = caller !== undefined && target.owner?.name === caller.name;
  if (!principal.admin && !own) throw errors.notAuthorized(arn, action, target.resource, false);

  if (caller && own && caller.requireMfaForSelf && !identity.mfa && SELF_NEEDS_MFA.has(action)) {
    throw errors.mfaRequiredForSelf();
  }
}
