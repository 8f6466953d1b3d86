// The policy documents the stand-in attaches when a test asks for an identity in the old short
// form (`admin`, `mfaDenyPolicy`, a role's `subject`/`audience`), so every identity is decided by
// the same evaluator (policy.ts) whether a test wrote its policies or used the shorthand.
import { validateIdentityPolicy, validateServiceControlPolicy, validateSessionPolicy, validateTrustPolicy } from '@cloud-copilot/iam-policy';

/** An IAM policy document as JSON; its shape is checked by @cloud-copilot/iam-policy. */
export type PolicyDocument = { Version?: string; Statement: unknown; Id?: string };

export interface NamedPolicy {
  name: string;
  document: PolicyDocument;
  /** A managed policy's or SCP's ARN; AWS names it in an explicit deny. None for an inline policy. */
  arn?: string;
}

const VERSION = '2012-10-17';

/** The account's OIDC provider for GitHub, as trust policies name it (and prefix its condition keys). */
export const GITHUB_PROVIDER = 'token.actions.githubusercontent.com';

export function githubProviderArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:oidc-provider/${GITHUB_PROVIDER}`;
}

/** Like the AdministratorAccess managed policy. */
export function administratorAccess(): NamedPolicy {
  return { name: 'AdministratorAccess', document: { Version: VERSION, Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } };
}

/**
 * What a user without `admin` could always do in the stand-in: anything on its own user, and create
 * or delete virtual devices (as AWS's self-manage sample allows on `mfa/*`).
 */
export function selfManagement(userArn: string, accountId: string): NamedPolicy {
  return {
    name: 'SelfManagement',
    document: {
      Version: VERSION,
      Statement: [
        { Sid: 'OwnUser', Effect: 'Allow', Action: 'iam:*', Resource: userArn },
        {
          Sid: 'VirtualDevices',
          Effect: 'Allow',
          Action: ['iam:CreateVirtualMFADevice', 'iam:DeleteVirtualMFADevice'],
          Resource: `arn:aws:iam::${accountId}:mfa/*`,
        },
      ],
    },
  };
}

/** The deny of AWS's self-manage sample: no MFA changes from a session without MFA. */
export function denyMfaChangesWithoutMfa(): NamedPolicy {
  return {
    name: 'DenyMfaChangesWithoutMfa',
    document: {
      Version: VERSION,
      Statement: [
        {
          Effect: 'Deny',
          Action: ['iam:DeactivateMFADevice', 'iam:DeleteVirtualMFADevice'],
          Resource: '*',
          Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
        },
      ],
    },
  };
}

/** The trust policy `createRole({ subject, audience })` stands for: GitHub's provider, that aud, a StringLike sub. */
export function githubTrustPolicy(accountId: string, subject: string, audience: string): PolicyDocument {
  return {
    Version: VERSION,
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: githubProviderArn(accountId) },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { [`${GITHUB_PROVIDER}:aud`]: audience },
          StringLike: { [`${GITHUB_PROVIDER}:sub`]: subject },
        },
      },
    ],
  };
}

/** Throws like IAM's MalformedPolicyDocument when a test attaches a document IAM would refuse. */
export function checkIdentityPolicy(policy: NamedPolicy): void {
  const problems = validateIdentityPolicy(policy.document);
  if (problems.length > 0) throw new Error(`policy ${policy.name} is malformed: ${JSON.stringify(problems)}`);
}

export function checkTrustPolicy(document: PolicyDocument): void {
  const problems = validateTrustPolicy(document);
  if (problems.length > 0) throw new Error(`trust policy is malformed: ${JSON.stringify(problems)}`);
}

export function checkSessionPolicy(document: PolicyDocument): PolicyDocument {
  const problems = validateSessionPolicy(document);
  if (problems.length > 0) throw new Error(`session policy is malformed: ${JSON.stringify(problems)}`);
  return document;
}

export function checkServiceControlPolicy(policy: NamedPolicy): void {
  const problems = validateServiceControlPolicy(policy.document);
  if (problems.length > 0) throw new Error(`SCP ${policy.name} is malformed: ${JSON.stringify(problems)}`);
}
