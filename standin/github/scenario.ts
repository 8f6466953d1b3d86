// The scenario API tests use to set up GitHub: the repository and who may do what in it, workflow
// runs and their approvals, pull requests with reviews and files, merges, renamed accounts, job
// tokens and faults. Every account is made on first mention; ids are immutable, logins are not.
import type { GitHubFaultSpec } from './faults.ts';
import type { Account, AccountType, AuthorAssociation, Role } from './model.ts';
import { mergeQueue, type MergeOptions, PullHandle, type PullSpec } from './pulls.ts';
import { RunHandle, type RunSpec } from './runs.ts';
import type { GitHubStandin, Permissions } from './service.ts';

export interface AccountSpec {
  login: string;
  /** The immutable account id (default: a fresh one; GitHub's own for github-actions[bot] and dependabot[bot]). */
  id?: number;
  /** Default User, or Bot for a login ending in [bot]. */
  type?: AccountType;
  /** Force the author_association GitHub shows (otherwise worked out: MEMBER, COLLABORATOR, CONTRIBUTOR, NONE). */
  association?: AuthorAssociation;
}

export interface AccountRef {
  readonly login: string;
  readonly id: number;
  readonly type: AccountType;
}

/** Legacy shorthand: the environment review log of a run, as the first stand-in took it. */
export interface RunApprovalSpec {
  login: string;
  state: 'approved' | 'rejected' | 'pending';
  environments?: string[];
  comment?: string;
}

/** Legacy shorthand for a review. */
export interface ReviewSpec {
  login: string | null;
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';
  commitId: string;
  body?: string;
}

/** Legacy shorthand: a pull request, merged (with a merge commit) when mergeCommitSha is set. */
export interface PullRequestSpec {
  number: number;
  author: string;
  title?: string;
  headSha: string;
  mergeCommitSha?: string;
  /** Commits of the pull request besides the head. */
  commits?: string[];
  reviews?: ReviewSpec[];
  files?: PullSpec['files'];
}

export interface GitHubApi {
  /** GITHUB_API_URL for the stand-in. */
  readonly apiUrl: string;
  /** The repository every endpoint serves (owner octo, name app, private, default branch main). */
  readonly repository: { readonly owner: AccountRef; readonly name: string; readonly id: number };
  /** Change the repository: visibility (public: everybody reads), default branch, organization base role. */
  configure(options: { visibility?: 'public' | 'private' | 'internal'; defaultBranch?: string; baseRole?: Role | null }): void;
  /** A token with these permissions, like a job's GITHUB_TOKEN under `permissions:` (metadata is always readable). */
  issueToken(permissions: Permissions): string;
  /** An account (a person, or a bot: `github-actions[bot]`); an existing login is returned as is. */
  account(spec: string | AccountSpec): AccountRef;
  /** An outside collaborator with a role (author_association COLLABORATOR, even when the role is read). */
  collaborator(spec: string | AccountSpec, role: Role): AccountRef;
  /** An organization member (author_association MEMBER); its role is `role`, else the organization's base role. */
  member(spec: string | AccountSpec, role?: Role): AccountRef;
  /** Remove a collaborator's role and membership. */
  removeAccess(login: string): void;
  /** Rename an account: same id, new login; the old login is free to be taken by another account. */
  rename(from: string, to: string): AccountRef;
  /** A workflow run; approve, reject and re-run it through the handle. */
  run(spec: RunSpec): RunHandle;
  /** A pull request; push, review and merge it through the handle. */
  pullRequest(spec: PullSpec): PullHandle;
  /** Merge several pull requests in one push (a merge queue); returns the pushed commit. */
  mergeQueue(pulls: PullHandle[], options?: Omit<MergeOptions, 'sha'>): string;
  /** A commit pushed to a branch without a pull request (default a new one on the default branch); returns its sha. */
  commit(options?: { sha?: string; branch?: string }): string;
  /** Make GET commits/{sha}/pulls list exactly these pull requests, in this order. */
  associate(sha: string, pullNumbers: number[]): void;
  readonly faults: { inject(spec: GitHubFaultSpec): void; clear(): void };
  /** Most items per page for every list, to force paging (undefined: as the client asks). */
  pageSize: number | undefined;
  /** Legacy: a run (actor octocat, environment iam-admin) with exactly this review log. */
  setRunApprovals(runId: number, approvals: RunApprovalSpec[]): void;
  /** Legacy: a pull request from the shorthand. */
  addPullRequest(pull: PullRequestSpec): void;
}

export function gitHubApi(service: GitHubStandin, apiUrl: string): GitHubApi {
  const world = service.world;
  const ref = (account: Account): AccountRef => ({ login: account.login, id: account.id, type: account.type });
  const account = (spec: string | AccountSpec): Account => {
    const { login, id, type, association } = typeof spec === 'string' ? { login: spec } : spec;
    const found = world.findLogin(login);
    if (found && id !== undefined && found.id !== id) throw new Error(`@${login} is account ${found.id}, not ${id}: rename it first to reclaim the login`);
    const made = found ?? world.createAccount(login, { ...(id !== undefined && { id }), ...(type && { type }) });
    if (association) made.association = association;
    return made;
  };
  return {
    apiUrl,
    get repository() {
      return { owner: ref(world.owner()), name: world.repository.name, id: world.repository.id };
    },
    configure({ visibility, defaultBranch, baseRole }) {
      if (visibility) world.repository.visibility = visibility;
      if (defaultBranch) world.repository.defaultBranch = defaultBranch;
      if (baseRole !== undefined) world.repository.baseRole = baseRole ?? undefined;
    },
    issueToken: (permissions) => service.issueToken(permissions),
    account: (spec) => ref(account(spec)),
    collaborator(spec, role) {
      const made = account(spec);
      world.collaborators.set(made.id, role);
      return ref(made);
    },
    member(spec, role) {
      const made = account(spec);
      world.members.add(made.id);
      if (role) world.collaborators.set(made.id, role);
      return ref(made);
    },
    removeAccess(login) {
      const found = world.requireLogin(login);
      world.collaborators.delete(found.id);
      world.members.delete(found.id);
    },
    rename: (from, to) => ref(world.rename(from, to)),
    run: (spec) => new RunHandle(world, spec),
    pullRequest: (spec) => new PullHandle(world, spec),
    mergeQueue: (pulls, options) => mergeQueue(pulls, options),
    commit({ sha, branch } = {}) {
      const commit = world.commit(sha ?? world.newSha('push'));
      commit.branches.add(branch ?? world.repository.defaultBranch);
      return commit.sha;
    },
    associate(sha, pullNumbers) {
      world.commit(sha).listed = [...pullNumbers];
    },
    faults: { inject: (spec) => service.faults.inject(spec), clear: () => service.faults.clear() },
    get pageSize() {
      return service.pageSize;
    },
    set pageSize(size) {
      service.pageSize = size;
    },
    setRunApprovals(runId, approvals) {
      const existing = world.runs.get(runId);
      const run = existing ?? new RunHandle(world, { id: runId, actor: 'octocat', sha: 'f00dfeed00000000000000000000000000000001', waitsForReview: false }).run;
      run.approvals = approvals.map((approval) => ({
        accountId: world.ensure(approval.login).id,
        state: approval.state,
        environments: approval.environments ?? ['iam-admin'],
        comment: approval.comment ?? '',
        attempt: run.attempts.length,
        at: world.stamp(),
      }));
    },
    addPullRequest(spec) {
      const pull = new PullHandle(world, {
        number: spec.number,
        author: spec.author,
        headSha: spec.headSha,
        ...(spec.title !== undefined && { title: spec.title }),
        ...(spec.commits && { commits: spec.commits }),
        ...(spec.files && { files: spec.files }),
      });
      for (const review of spec.reviews ?? []) {
        pull.review(review.login, review.state, { commit: review.commitId, ...(review.body !== undefined && { body: review.body }) });
      }
      if (spec.mergeCommitSha !== undefined) pull.merge({ sha: spec.mergeCommitSha, by: spec.author });
    },
  };
}
