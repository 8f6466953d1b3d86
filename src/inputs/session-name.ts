// The role session name CloudTrail records for every call the assumed role makes: it ties a change
// to a person and a workflow run, so it must survive any GitHub login and run id within AWS's rule.

/** AWS's RoleSessionName rule (STS API reference): 2 to 64 of [\w+=,.@-]. */
export const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const MAX_LENGTH = 64;

export interface SessionNameParts {
  actor: string;
  runId: number;
  runAttempt: number;
}

/**
 * `gh-<actor>-<run id>-<attempt>`. Characters AWS does not allow (a bot's "[bot]") become "-"; when
 * the whole is too long, the login is shortened, never the run id or attempt, which find the run.
 */
export function defaultSessionName({ actor, runId, runAttempt }: SessionNameParts): string {
  const suffix = `-${runId}-${runAttempt}`;
  const login = (actor || 'unknown').replace(/[^\w+=,.@-]/g, '-');
  return `gh-${login.slice(0, Math.max(0, MAX_LENGTH - 'gh-'.length - suffix.length))}${suffix}`.slice(0, MAX_LENGTH);
}
