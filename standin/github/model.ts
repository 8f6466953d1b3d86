// The GitHub world the stand-in serves: accounts (by immutable id, with logins that can be renamed
// and reclaimed), one repository with its collaborators, workflow runs and their attempts,
// environment approvals and the deployments Actions makes for them, pull requests with their
// reviews and files, and which pull requests each commit belongs to. Pure state: the wire shapes
// are shapes.ts's, the scenario API scenario.ts's.
import { createHash, randomInt } from 'node:crypto';

export type AccountType = 'User' | 'Bot' | 'Organization';
/** Repository roles as GitHub names them; `maintain` reads as `write`, `triage` as `read` in `permission`. */
export type Role = 'admin' | 'maintain' | 'write' | 'triage' | 'read';
export type AuthorAssociation = 'OWNER' | 'MEMBER' | 'COLLABORATOR' | 'CONTRIBUTOR' | 'FIRST_TIME_CONTRIBUTOR' | 'FIRST_TIMER' | 'MANNEQUIN' | 'NONE';

export interface Account {
  readonly id: number;
  login: string;
  readonly type: AccountType;
  /** Set by the scenario; otherwise worked out from ownership, membership and collaboration. */
  association?: AuthorAssociation;
}

export interface Repository {
  readonly id: number;
  readonly ownerId: number;
  readonly name: string;
  visibility: 'public' | 'private' | 'internal';
  defaultBranch: string;
  /** Organization members without a role of their own get this one (GitHub's default base permission is read). */
  baseRole: Role | undefined;
}

export interface ApprovalEntry {
  accountId: number;
  state: 'approved' | 'rejected' | 'pending';
  environments: string[];
  comment: string;
  /** Not on the wire (GitHub's review log has no attempt and no time): kept to build deployments. */
  attempt: number;
  at: string;
}

export interface DeploymentStatus {
  id: number;
  /** `waiting` is what Actions answers while a job waits for reviewers; the OpenAPI enum lacks it. */
  state: 'waiting' | 'queued' | 'in_progress' | 'success' | 'failure';
  at: string;
  /** The job's page: Actions points every status of the job's deployment there. */
  logUrl: string;
}

export interface Deployment {
  id: number;
  sha: string;
  ref: string;
  environment: string;
  createdAt: string;
  runId: number;
  attempt: number;
  jobId: number;
  statuses: DeploymentStatus[];
}

export interface Attempt {
  number: number;
  triggeringActorId: number;
  /** The login when the attempt started: what GITHUB_TRIGGERING_ACTOR says even after a rename. */
  triggeringLogin: string;
  startedAt: string;
  jobId: number;
  jobName: string;
  status: 'waiting' | 'in_progress' | 'completed';
  conclusion: 'success' | 'failure' | 'cancelled' | null;
  deploymentId?: number;
}

export interface Run {
  id: number;
  number: number;
  workflowId: number;
  workflowName: string;
  path: string;
  event: string;
  sha: string;
  branch: string;
  actorId: number;
  /** The login when the run started: what GITHUB_ACTOR says even after a rename. */
  actorLogin: string;
  environment: string | undefined;
  createdAt: string;
  attempts: Attempt[];
  approvals: ApprovalEntry[];
}

export type ReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';

export interface Review {
  id: number;
  /** null: GitHub answers `user: null` (a deleted account). */
  accountId: number | null;
  state: ReviewState;
  commitId: string;
  submittedAt: string;
  body: string;
}

export type FileStatus = 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';

export interface PullFile {
  filename: string;
  status: FileStatus;
  previousFilename?: string;
  additions: number;
  deletions: number;
  patch?: string;
}

export type MergeKind = 'merge' | 'squash' | 'rebase';

export interface Pull {
  number: number;
  id: number;
  authorId: number;
  title: string;
  body: string | null;
  base: string;
  headRef: string;
  /** The head repository's owner when the pull request comes from a fork. */
  forkOwnerId: number | undefined;
  headSha: string;
  /** The pull request's commits, oldest first; the last is headSha. */
  commits: string[];
  files: PullFile[];
  reviews: Review[];
  createdAt: string;
  draft: boolean;
  closedAt: string | null;
  merge: { kind: MergeKind; sha: string; commits: string[]; at: string; byId: number; baseSha: string } | undefined;
}

export interface Commit {
  sha: string;
  /** The branches the commit is on, as far as the scenario pushed it. */
  branches: Set<string>;
  /** The merged pull request that brought it onto its branch. */
  introducedBy: number | undefined;
  /** Every pull request whose commits include it, in the order they were opened. */
  pulls: number[];
  /** Set by the scenario: exactly what GET commits/{sha}/pulls lists. */
  listed: number[] | undefined;
}

/** Ids GitHub itself uses for its own apps' bot accounts. */
const KNOWN_BOTS: Record<string, number> = { 'github-actions[bot]': 41898282, 'dependabot[bot]': 49699333 };

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export class GitHubWorld {
  readonly accounts = new Map<number, Account>();
  private readonly byLogin = new Map<string, number>();
  readonly collaborators = new Map<number, Role>();
  readonly members = new Set<number>();
  readonly repository: Repository;
  readonly runs = new Map<number, Run>();
  readonly pulls = new Map<number, Pull>();
  readonly commits = new Map<string, Commit>();
  readonly deployments = new Map<number, Deployment>();
  readonly environments = new Map<string, { id: number; createdAt: string }>();
  private readonly usedIds = new Set<number>();
  private time = Date.UTC(2026, 10, 20, 9, 0, 0);
  private shaCounter = 0;

  constructor(owner = 'octo', name = 'app') {
    const org = this.createAccount(owner, { type: 'Organization' });
    this.repository = { id: this.newId(100_000_000, 999_999_999), ownerId: org.id, name, visibility: 'private', defaultBranch: 'main', baseRole: 'read' };
  }

  /** A fresh id in a range, never handed out twice. */
  newId(min = 1_000_000, max = 99_999_999): number {
    for (;;) {
      const id = randomInt(min, max);
      if (!this.usedIds.has(id)) {
        this.usedIds.add(id);
        return id;
      }
    }
  }

  /** A timestamp: `at` if given (the clock never runs backwards past it), else a minute after the last one. */
  stamp(at?: string): string {
    if (at !== undefined) {
      const ms = Date.parse(at);
      if (Number.isNaN(ms)) throw new Error(`Not a time: ${at}`);
      this.time = Math.max(this.time, ms);
      return iso(ms);
    }
    this.time += 60_000;
    return iso(this.time);
  }

  /** A new, unique commit sha (deterministic within a world: the same scenario makes the same shas). */
  newSha(label = 'commit'): string {
    this.shaCounter += 1;
    return createHash('sha1')
      .update(`${label}:${this.shaCounter}:${this.repository?.id ?? 0}`)
      .digest('hex');
  }

  owner(): Account {
    return this.requireId(this.repository.ownerId);
  }

  findLogin(login: string): Account | undefined {
    const id = this.byLogin.get(login.toLowerCase());
    return id === undefined ? undefined : this.accounts.get(id);
  }

  requireLogin(login: string): Account {
    const account = this.findLogin(login);
    if (!account) throw new Error(`No GitHub account @${login} in the scenario`);
    return account;
  }

  requireId(id: number): Account {
    const account = this.accounts.get(id);
    if (!account) throw new Error(`No GitHub account with id ${id}`);
    return account;
  }

  createAccount(login: string, options: { id?: number; type?: AccountType } = {}): Account {
    if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/.test(login)) throw new Error(`Not a GitHub login: ${login}`);
    if (this.findLogin(login)) throw new Error(`The login @${login} is taken`);
    const id = options.id ?? KNOWN_BOTS[login] ?? this.newId();
    if (this.accounts.has(id)) throw new Error(`The account id ${id} exists already (as @${this.requireId(id).login})`);
    this.usedIds.add(id);
    const account: Account = { id, login, type: options.type ?? (login.endsWith('[bot]') ? 'Bot' : 'User') };
    this.accounts.set(id, account);
    this.byLogin.set(login.toLowerCase(), id);
    return account;
  }

  /** The account with this login, made on first mention. */
  ensure(login: string): Account {
    return this.findLogin(login) ?? this.createAccount(login);
  }

  /** GitHub renames keep the id; the old login is free for anyone to take. */
  rename(from: string, to: string): Account {
    const account = this.requireLogin(from);
    if (this.findLogin(to)) throw new Error(`The login @${to} is taken`);
    this.byLogin.delete(account.login.toLowerCase());
    account.login = to;
    this.byLogin.set(to.toLowerCase(), account.id);
    return account;
  }

  /** The role an account holds on the repository: its own, else the organization's base role for members. */
  roleOf(accountId: number): Role | undefined {
    return this.collaborators.get(accountId) ?? (this.members.has(accountId) ? this.repository.baseRole : undefined);
  }

  associationOf(accountId: number): AuthorAssociation {
    const account = this.requireId(accountId);
    if (account.association) return account.association;
    if (accountId === this.repository.ownerId) return 'OWNER';
    if (this.members.has(accountId)) return 'MEMBER';
    if (this.collaborators.has(accountId)) return 'COLLABORATOR';
    const merged = [...this.pulls.values()].some((pull) => pull.authorId === accountId && pull.merge);
    return merged ? 'CONTRIBUTOR' : 'NONE';
  }

  environment(name: string): { id: number; createdAt: string } {
    let environment = this.environments.get(name);
    if (!environment) {
      environment = { id: this.newId(), createdAt: '2026-01-05T10:00:00Z' };
      this.environments.set(name, environment);
    }
    return environment;
  }

  commit(sha: string): Commit {
    if (!/^[0-9a-f]{40}$/.test(sha)) throw new Error(`Not a full commit sha: ${sha}`);
    let commit = this.commits.get(sha);
    if (!commit) {
      commit = { sha, branches: new Set(), introducedBy: undefined, pulls: [], listed: undefined };
      this.commits.set(sha, commit);
    }
    return commit;
  }

  /** A commit named by a prefix of 7 or more hex digits, as GitHub resolves it. */
  resolveCommit(ref: string): Commit | undefined {
    if (!/^[0-9a-f]{7,40}$/i.test(ref)) return undefined;
    const lower = ref.toLowerCase();
    const found = [...this.commits.values()].filter((commit) => commit.sha.startsWith(lower));
    return found.length === 1 ? found[0] : undefined;
  }

  /**
   * GET commits/{sha}/pulls: "the merged pull request that introduced the commit", if the commit is on
   * the default branch; otherwise every open or merged pull request it belongs to.
   */
  pullsOfCommit(commit: Commit): Pull[] {
    const numbers =
      commit.listed ?? (commit.branches.has(this.repository.defaultBranch) ? (commit.introducedBy === undefined ? [] : [commit.introducedBy]) : commit.pulls);
    return numbers.map((number) => this.pulls.get(number)).filter((pull): pull is Pull => pull !== undefined);
  }
}
