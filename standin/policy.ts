// Authorization as IAM does it: every policy that applies to the caller (the organization's SCPs,
// its identity policies (a user's, or the role's for a role session), its permissions boundary and
// a role session's session policy) is evaluated by @cloud-copilot/iam-simulate for the action,
// the resource's ARN and the request context AWS would build; a refusal names the kind of policy
// that refused (denial.ts). AWS's built-in rule that changing one's own MFA needs an
// MFA-authenticated session is applied on top. Trust policies are evaluated in trust.ts.
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { denialOf } from './denial.ts';
import { errors } from './errors.ts';
import { arnOf } from './identity.ts';
import type { Identity } from './identity.ts';
import type { Account, User } from './model.ts';

/** Actions AWS refuses on one's own devices from a session without MFA. */
const SELF_NEEDS_MFA = new Set(['iam:DeactivateMFADevice', 'iam:DeleteVirtualMFADevice']);

export interface Target {
  /** The user the resource belongs to (AWS's own-MFA rule); none, e.g., for CreateUser. */
  owner: User | undefined;
  /** The resource's ARN, as the policies are matched against it. */
  arn: string;
  /** As AWS prints it in AccessDenied: `user NAME` for user actions, the ARN for devices. */
  resource: string;
  /** The target user's tags: iam:ResourceTag/KEY and aws:ResourceTag/KEY. */
  tags: Record<string, string> | undefined;
  /** Condition keys the action itself sets, such as iam:PolicyARN for AttachUserPolicy. */
  context?: Record<string, string>;
}

export function callerUser(identity: Identity): User | undefined {
  return identity.kind === 'user' || identity.kind === 'user-session' ? identity.user : undefined;
}

/** A user target: evaluated against the user's ARN with its path, printed as IAM prints it. */
export function userTarget(account: Account, name: string): Target {
  const user = account.user(name);
  return {
    owner: user,
    // A user that does not exist has no path: IAM still authorizes first, against user/NAME.
    arn: user?.arn ?? `arn:aws:iam::${account.accountId}:user/${name}`,
    resource: `user ${name}`,
    tags: user?.tags,
  };
}

/** The request context AWS builds for a call: who, how authenticated, and the target's tags. */
export function requestContext(account: Account, identity: Identity, target: Target, now: Date): Record<string, string> {
  const context: Record<string, string> = {
    'aws:PrincipalAccount': account.accountId,
    'aws:SecureTransport': 'true',
    'aws:RequestedRegion': 'us-east-1',
    'aws:CurrentTime': now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws:EpochTime': String(Math.floor(now.getTime() / 1000)),
    'aws:ViaAWSService': 'false',
  };
  switch (identity.kind) {
    case 'user':
    case 'user-session':
      Object.assign(context, {
        'aws:PrincipalArn': identity.user.arn,
        'aws:PrincipalType': 'User',
        'aws:userid': identity.user.userId,
        'aws:username': identity.user.name,
      });
      for (const [key, value] of Object.entries(identity.user.tags)) context[`aws:PrincipalTag/${key}`] = value;
      // Absent for long-term keys; present (true or false) for temporary credentials.
      if (identity.kind === 'user-session') context['aws:MultiFactorAuthPresent'] = String(identity.mfa);
      break;
    case 'role-session':
      Object.assign(context, {
        'aws:PrincipalArn': identity.role.arn,
        'aws:PrincipalType': 'AssumedRole',
        'aws:userid': `${identity.role.roleId}:${identity.sessionName}`,
        'aws:MultiFactorAuthPresent': 'false',
      });
      break;
    case 'anonymous':
      break;
  }
  for (const [key, value] of Object.entries(target.tags ?? {})) {
    context[`iam:ResourceTag/${key}`] = value;
    context[`aws:ResourceTag/${key}`] = value;
  }
  return { ...context, ...target.context };
}

/** Throws AWS's AccessDenied unless `identity` may perform `action` on `target`. */
export async function authorize(account: Account, identity: Identity, action: string, target: Target): Promise<void> {
  const principal = identity.kind === 'role-session' ? identity.role : callerUser(identity);
  if (!principal) throw errors.missingAuthenticationToken();
  const arn = arnOf(identity, account.accountId);

  const scps = account.serviceControlPolicies;
  const response = await runSimulation(
    {
      request: {
        principal: arn,
        action,
        resource: { resource: target.arn, accountId: account.accountId },
        contextVariables: requestContext(account, identity, target, account.clock.date()),
      },
      identityPolicies: principal.policies.map(({ name, document }) => ({ name, policy: document })),
      // One level, the account's; an account outside any organization has none.
      serviceControlPolicies:
        scps.length === 0 ? [] : [{ orgIdentifier: account.accountId, policies: scps.map(({ name, document }) => ({ name, policy: document })) }],
      resourceControlPolicies: [],
      ...(principal.permissionsBoundary && {
        permissionBoundaryPolicies: [{ name: principal.permissionsBoundary.name, policy: principal.permissionsBoundary.document }],
      }),
      ...(identity.kind === 'role-session' && identity.sessionPolicy && { sessionPolicy: identity.sessionPolicy }),
    },
    {},
  );
  // Policies are checked when attached, so an error here is a bug in the stand-in.
  if (response.resultType === 'error') throw new Error(`iam-simulate could not evaluate ${action}: ${JSON.stringify(response.errors)}`);
  if (response.overallResult !== 'Allowed') {
    const analysis = response.resultType === 'single' ? response.result.analysis : response.results[0]?.analysis;
    const policies = {
      'service control policy': scps,
      'identity-based policy': principal.policies,
      'permissions boundary': principal.permissionsBoundary ? [principal.permissionsBoundary] : [],
    };
    throw errors.notAuthorized(arn, action, target.resource, denialOf(analysis, response.overallResult, policies));
  }

  const caller = callerUser(identity);
  const own = caller !== undefined && target.owner?.name === caller.name;
  if (caller && own && caller.requireMfaForSelf && !identity.mfa && SELF_NEEDS_MFA.has(action)) {
    throw errors.mfaRequiredForSelf();
  }
}
