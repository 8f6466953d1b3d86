// The error table's AccessDenied rows: each way AWS words a refusal, and what the action says of it.
import { type ErrorRow, ASSUME, GET_SESSION_TOKEN } from './error-kinds.ts';

/** The kinds of policy AWS names in an AccessDenied ("with an explicit deny in a service control policy"). */
type PolicyKind = 'identity-based' | 'service control' | 'resource control' | 'permissions boundary' | 'session' | 'resource-based' | 'VPC endpoint';

/** What each kind of policy that AWS names in an explicit deny means for this call. */
const EXPLICIT_DENY: Record<PolicyKind, string> = {
  'identity-based':
    'A Deny statement in a policy of the acting identity (or of its group) refused the call. Most often that is deliberate: a protection of ' +
    "this user, such as the example permission policy's deny of users tagged mfa-reset-protected=true or under the path /admins/; such " +
    "a user's MFA is reset by hand, with the access your organisation requires. A Deny conditioned on aws:MultiFactorAuthPresent (as in " +
    "AWS's self-manage sample policy) reads the same.",
  'service control':
    "A service control policy of your AWS Organization refused the call. SCPs are managed in the organization's management account, " +
    "not in this one, and bind every identity here, roles and users alike: ask your organization's administrators which statement " +
    'denies it (it may protect this user, or require MFA).',
  'resource control': "A resource control policy of your AWS Organization refused the call: ask your organization's administrators which statement denies it.",
  'permissions boundary':
    'The permissions boundary set on the acting identity refused the call: a boundary caps what the identity may do whatever its ' +
    'policies allow. Check the boundary policy attached to the role or user.',
  session:
    'A session policy refused the call. The action passes none: the credentials were issued with one outside it (an earlier step, ' +
    "or the runner's own role).",
  'resource-based': "A resource-based policy refused the call (for sts:AssumeRoleWithWebIdentity, the role's trust policy).",
  'VPC endpoint': "The policy of the VPC endpoint the request went through refused the call: check the endpoint policy of your (self-hosted) runner's VPC.",
};

/** The same, for an implicit deny: no policy of that kind allows the call. */
const IMPLICIT_DENY: Partial<Record<PolicyKind, string>> = {
  'identity-based':
    'No policy of the acting identity allows this call on this user. The example permission policy allows the users under one ' +
    'path only (its UserPath parameter), so a user elsewhere is refused by design; otherwise allow the call on the user. An Allow ' +
    'conditioned on aws:MultiFactorAuthPresent reads the same.',
  'service control':
    "Your AWS Organization's service control policies do not allow the call: ask your organization's administrators, who manage them " +
    'in the management account.',
  'permissions boundary': 'The permissions boundary set on the acting identity does not allow the call: add it to the boundary, or act as another identity.',
  session: 'The session policy the credentials were issued with does not allow the call. The action passes none: the credentials came from outside it.',
  'resource-based': "No resource-based policy allows the call (for sts:AssumeRoleWithWebIdentity, the role's trust policy).",
  'VPC endpoint': 'The policy of the VPC endpoint the request went through does not allow the call.',
};

/**
 * AccessDenied, as AWS words each kind of refusal (AccessDeniedException is the common errors' other
 * spelling). First match wins: the specific rows come before the general ones.
 */
export const ACCESS_DENIED: readonly ErrorRow[] = (
  [
    {
      id: 'mfa-required',
      code: 'AccessDenied',
      says: 'authenticated with an MFA device',
      on: 'every',
      action: 'report',
      explanation:
        "AWS's own rule: a user changing their own MFA must call from an MFA-authenticated session. The action steps up to one " +
        "(STS GetSessionToken, once) when it holds that user's own keys and a code in mfa-token.",
    },
    {
      id: 'invalid-mfa-code',
      code: 'AccessDenied',
      says: 'invalid MFA one time pass code',
      on: GET_SESSION_TOKEN,
      action: 'report',
      explanation:
        'The MFA code was wrong, expired (a code lasts about 30 seconds) or already used. The code is never sent twice: dispatch again with a fresh one.',
    },
    {
      id: 'mfa-serial-not-callers',
      code: 'AccessDenied',
      says: 'unable to validate MFA code',
      on: GET_SESSION_TOKEN,
      action: 'report',
      explanation: 'The device is not a TOTP device of the IAM user whose keys are acting: check step-up-serial-number.',
    },
    {
      id: 'session-credentials',
      code: 'AccessDenied',
      says: 'with session credentials',
      on: GET_SESSION_TOKEN,
      action: 'report',
      explanation: "GetSessionToken accepts only an IAM user's long-term keys: aws-access-key-id and aws-secret-access-key are temporary ones.",
    },
    {
      id: 'trust-policy',
      code: 'AccessDenied',
      says: 'not authorized to perform sts:AssumeRoleWithWebIdentity',
      on: ASSUME,
      action: 'report',
      trustHint: true,
      explanation: "The role's trust policy does not accept this job's OIDC token.",
    },
    ...denyRows(),
    {
      id: 'access-denied',
      code: 'AccessDenied',
      on: 'every',
      action: 'report',
      deny: { explicit: undefined },
      explanation:
        'AWS refused the call without saying which policy did. In order of likelihood: a deliberate protection of this user (such as the ' +
        "example permission policy's deny of users tagged mfa-reset-protected=true or under /admins/), a service control policy or a " +
        'permissions boundary, a policy that does not allow the call on this user, and only then a condition on aws:MultiFactorAuthPresent.',
    },
  ] satisfies ErrorRow[]
).map((row) => ({ ...row, also: ['AccessDeniedException'] }));

function denyRows(): ErrorRow[] {
  const named = (policy: PolicyKind): string => (policy === 'permissions boundary' ? policy : `${policy} policy`);
  const article = (policy: PolicyKind): string => (policy === 'identity-based' ? 'an' : 'a');
  return [
    ...(Object.keys(EXPLICIT_DENY) as PolicyKind[]).map((policy): ErrorRow => ({
      id: `explicit-deny:${policy}`,
      code: 'AccessDenied',
      says: `with an explicit deny in ${article(policy)} ${named(policy)}`,
      on: 'every',
      action: 'report',
      deny: { explicit: true },
      explanation: EXPLICIT_DENY[policy],
    })),
    ...(Object.entries(IMPLICIT_DENY) as [PolicyKind, string][]).map(([policy, explanation]): ErrorRow => ({
      id: `implicit-deny:${policy}`,
      code: 'AccessDenied',
      says: `because no ${named(policy)} allows`,
      on: 'every',
      action: 'report',
      deny: { explicit: false },
      explanation,
    })),
  ];
}
