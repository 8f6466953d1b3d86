// The GitHub REST calls the approval check makes, what each reads, and the `permissions:` line the
// job's token needs for it, as GitHub's "Permissions required for GitHub Apps" tables list them
// (the job's GITHUB_TOKEN is a GitHub App installation token).
export const CALLS = {
  // GET /repos/{o}/{r}/actions/runs/{id} and …/approvals: "Actions" repository permission (read).
  run: { what: 'this workflow run', permission: 'actions: read' },
  'run-approvals': { what: "this run's environment approvals", permission: 'actions: read' },
  // GET /repos/{o}/{r}/commits/{sha}/pulls: listed under "Pull requests" (read), not contents.
  'commit-pulls': { what: "the commit's pull requests", permission: 'pull-requests: read' },
  'pull-files': { what: "the pull request's files", permission: 'pull-requests: read' },
  reviews: { what: "the pull request's reviews", permission: 'pull-requests: read' },
  // GET /repos/{o}/{r}/collaborators/{username}/permission: "Metadata" (read), which every job token has.
  permission: { what: "a reviewer's permission on the repository", permission: 'metadata: read' },
} as const;

export type GitHubCall = keyof typeof CALLS;
