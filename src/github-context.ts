// What the runner tells every step about its run, read from the GITHUB_* variables it sets: the
// same values (and parsing) as @actions/github's `context`, without loading Octokit and undici at
// start-up. @actions/github stays for the GitHub API, loaded only by the paths that call it.
export interface GithubContext {
  readonly actor: string | undefined;
  /** Who clicked re-run (the re-run keeps the first actor's privileges); the actor otherwise. */
  readonly triggeringActor: string | undefined;
  /** `owner/repo`. */
  readonly repository: string | undefined;
  /** The commit the workflow runs on. */
  readonly sha: string | undefined;
  readonly apiUrl: string;
  /** NaN when unset, as in @actions/github. */
  readonly runId: number;
  readonly runAttempt: number;
  readonly serverUrl: string;
  readonly workflow: string | undefined;
  readonly eventName: string | undefined;
}

export const context: GithubContext = {
  get actor() {
    return process.env['GITHUB_ACTOR'];
  },
  get triggeringActor() {
    return process.env['GITHUB_TRIGGERING_ACTOR'];
  },
  get repository() {
    return process.env['GITHUB_REPOSITORY'];
  },
  get sha() {
    return process.env['GITHUB_SHA'];
  },
  get apiUrl() {
    return process.env['GITHUB_API_URL'] || 'https://api.github.com';
  },
  get runId() {
    return parseInt(process.env['GITHUB_RUN_ID'] ?? '', 10);
  },
  get runAttempt() {
    return parseInt(process.env['GITHUB_RUN_ATTEMPT'] ?? '', 10);
  },
  get serverUrl() {
    return process.env['GITHUB_SERVER_URL'] ?? 'https://github.com';
  },
  get workflow() {
    return process.env['GITHUB_WORKFLOW'];
  },
  get eventName() {
    return process.env['GITHUB_EVENT_NAME'];
  },
};
