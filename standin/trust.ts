// Who may assume a role with a web identity: the role's trust policy, evaluated by
// @cloud-copilot/iam-simulate on the token's claims as STS exposes them
// (`token.actions.githubusercontent.com:sub`, `:aud`, `:job_workflow_ref`, …).
import { createValidatedPolicy, validateTrustPolicy } from '@cloud-copilot/iam-policy';
import { allowedContextKeysForRequest, runUnsafeSimulation } from '@cloud-copilot/iam-simulate';
import type { JWTPayload } from 'jose';
import type { Role } from './model.ts';
import { GITHUB_PROVIDER, githubProviderArn } from './policy-documents.ts';

const ACTION = 'sts:AssumeRoleWithWebIdentity';

/**
 * The claims STS turns into condition keys: `aud` and `sub` for every OIDC provider (the IAM User
 * Guide's "available keys for OIDC federation"), plus the GitHub-specific keys the Service
 * Authorization Reference lists for AssumeRoleWithWebIdentity (job_workflow_ref, environment,
 * repository_id, repository_owner_id, actor, …; supported by STS since 2026). Any other claim in
 * the token is invisible to the trust policy, as on AWS.
 */
async function conditionKeyClaims(roleArn: string): Promise<string[]> {
  // Lower-cased by the library; GitHub's claim names are lower case already.
  const keys = await allowedContextKeysForRequest('sts', 'AssumeRoleWithWebIdentity', roleArn, false, undefined);
  const github = keys.filter((key) => key.startsWith(`${GITHUB_PROVIDER}:`)).map((key) => key.slice(GITHUB_PROVIDER.length + 1));
  return ['aud', 'sub', ...github];
}

export async function trustContext(roleArn: string, claims: JWTPayload, sessionName: string): Promise<Record<string, string | string[]>> {
  const context: Record<string, string | string[]> = { 'sts:RoleSessionName': sessionName };
  for (const claim of await conditionKeyClaims(roleArn)) {
    const value = claims[claim];
    if (typeof value === 'string' || (Array.isArray(value) && value.every((item) => typeof item === 'string'))) {
      context[`${GITHUB_PROVIDER}:${claim}`] = value;
    }
  }
  return context;
}

/**
 * Whether the role's trust policy lets GitHub's provider assume it with these claims.
 *
 * runUnsafeSimulation, not runSimulation: the validated entry point keeps only the context keys
 * the Service Authorization Reference lists for the action, and that list leaves out the generic
 * OIDC keys `<provider>:aud` and `<provider>:sub`, so every `sub` condition would fail as if the
 * claim were missing. The trust policy is validated here instead (and when the role is
 * created), and the context holds only the keys STS would set (trustContext).
 */
export async function trustAllows(role: Role, accountId: string, claims: JWTPayload, sessionName: string): Promise<boolean> {
  // Validated and named: the unsafe entry point reads the resource policy's name from its metadata.
  const trustPolicy = createValidatedPolicy(role.trustPolicy, validateTrustPolicy, { name: `${role.name} trust policy` });
  if (trustPolicy.errors.length > 0) throw new Error(`invalid trust policy on ${role.arn}: ${JSON.stringify(trustPolicy.errors)}`);
  const result = runUnsafeSimulation(
    {
      request: {
        principal: githubProviderArn(accountId),
        action: ACTION,
        resource: { resource: role.arn, accountId },
        contextVariables: await trustContext(role.arn, claims, sessionName),
      },
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: trustPolicy,
    },
    {},
  );
  return result === 'Allowed';
}
