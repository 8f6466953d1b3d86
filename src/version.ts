// The action's own version, compiled into the bundle; a unit test keeps it equal to package.json's.
export const VERSION = '1.0.0';

/**
 * Which action ran: the compiled-in version, plus the repository and ref the workflow's `uses:`
 * resolved (the runner sets both for a remote action; a ref pinned to a commit sha names the code
 * exactly, a tag or branch names what it pointed to at the time).
 */
export function actionVersion(env: Record<string, string | undefined> = process.env): string {
  const repository = env.GITHUB_ACTION_REPOSITORY;
  const ref = env.GITHUB_ACTION_REF;
  return repository && ref ? `${VERSION} (${repository}@${ref})` : VERSION;
}
