// What a refused AssumeRoleWithWebIdentity should send the user to check: the claims of the token
// this job presented, which the role's trust policy must match. The token is only read here (STS
// verified or refused it); its claims name the repository and job, not secrets.

/** The claims trust policies pin, in the order a reader should check them. */
const PINNED_CLAIMS = ['sub', 'aud', 'environment', 'job_workflow_ref', 'repository_id', 'repository_owner_id'] as const;

/** The pinned claims a JWT carries, or an empty list when it cannot be read. */
export function tokenClaims(token: string): [name: string, value: string][] {
  const payload = token.split('.')[1];
  if (payload === undefined) return [];
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return [];
  }
  if (typeof claims !== 'object' || claims === null) return [];
  const record = claims as Record<string, unknown>;
  return PINNED_CLAIMS.flatMap((name) => (typeof record[name] === 'string' ? [[name, record[name]] as [string, string]] : []));
}

/** Why a role refused this job, and which trust-policy conditions to compare with the token. */
export function trustPolicyHint(token: string, audience: string): string {
  const claims = tokenClaims(token);
  const presented = claims.length > 0 ? ` This job's token has ${claims.map(([name, value]) => `${name} "${value}"`).join(', ')}.` : '';
  return (
    `Check the role's trust policy against this job's token: Principal.Federated must be the account's ` +
    `token.actions.githubusercontent.com OIDC provider (its audiences must include "${audience}"), and each condition must match the token: ` +
    `token.actions.githubusercontent.com:aud ("${audience}"); ` +
    `:sub (repo:OWNER/REPO:environment:NAME for a job with an environment, repo:OWNER/REPO:ref:REF without one; ` +
    `repositories created or renamed since 2026-07-15 use repo:OWNER@OWNER_ID/REPO@REPO_ID:…); ` +
    `and, when the policy pins them, :environment and :job_workflow_ref (OWNER/REPO/.github/workflows/FILE@REF of the reusable workflow).` +
    presented
  );
}
