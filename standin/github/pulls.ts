// Pull requests in the scenario: opened by an author from a branch (or a fork), with files and
// commits, reviewed on whichever head commit they saw, and merged the three ways the merge button
// offers. Each way leaves merge_commit_sha at the commit pushed to the base branch, as GitHub
// does: a merge commit, the squashed commit, or the last of the rebased commits.
import type { FileStatus, GitHubWorld, MergeKind, Pull, PullFile, ReviewState } from './model.ts';

export interface FileSpec {
  filename: string;
  /** Default `added`. */
  status?: FileStatus;
  /** For `renamed` and `copied`. */
  previousFilename?: string;
  additions?: number;
  deletions?: number;
  patch?: string;
}

export interface PullSpec {
  /** Default: the next free number. */
  number?: number;
  /** The author's login (made on first mention). */
  author: string;
  title?: string;
  body?: string;
  /** The base branch (default the repository's default branch). */
  base?: string;
  /** The head branch (default `reset-request-<number>`). */
  head?: string;
  /** The head repository's owner, for a pull request from a fork. */
  fork?: string;
  /** The head commit (default a new one). */
  headSha?: string;
  /** Earlier commits of the pull request, oldest first. */
  commits?: string[];
  /** Files changed: a path alone means a file the pull request adds. */
  files?: (string | FileSpec)[];
  draft?: boolean;
  at?: string;
}

export interface PullReviewOptions {
  /** The head commit the review saw (default the current head). */
  commit?: string;
  body?: string;
  at?: string;
}

export interface MergeOptions {
  /** Who pressed the button (default the repository's first admin, else the author). */
  by?: string;
  /** merge (default), squash or rebase. */
  kind?: MergeKind;
  /** The commit pushed to the base branch (default a new one): merge_commit_sha. */
  sha?: string;
  at?: string;
}

export class PullHandle {
  private readonly world: GitHubWorld;
  readonly pull: Pull;

  constructor(world: GitHubWorld, spec: PullSpec) {
    this.world = world;
    const number = spec.number ?? Math.max(0, ...world.pulls.keys()) + 1;
    if (world.pulls.has(number)) throw new Error(`Pull request #${number} exists already`);
    const author = world.ensure(spec.author);
    const headSha = spec.headSha ?? world.newSha(`pull-${number}`);
    const commits = [...(spec.commits ?? []).filter((sha) => sha !== headSha), headSha];
    this.pull = {
      number,
      id: world.newId(1_000_000_000, 3_000_000_000),
      authorId: author.id,
      title: spec.title ?? `Reset MFA request #${number}`,
      body: spec.body ?? null,
      base: spec.base ?? world.repository.defaultBranch,
      headRef: spec.head ?? `reset-request-${number}`,
      forkOwnerId: spec.fork === undefined ? undefined : world.ensure(spec.fork).id,
      headSha,
      commits,
      files: (spec.files ?? []).map(fileOf),
      reviews: [],
      createdAt: world.stamp(spec.at),
      draft: spec.draft ?? false,
      closedAt: null,
      merge: undefined,
    };
    world.pulls.set(number, this.pull);
    for (const sha of commits) this.track(sha);
  }

  get number(): number {
    return this.pull.number;
  }
  get headSha(): string {
    return this.pull.headSha;
  }
  /** The commit the merge pushed to the base branch (GITHUB_SHA of the push it triggers). */
  get mergeCommitSha(): string | undefined {
    return this.pull.merge?.sha;
  }

  /** Push a new head commit: later reviews see it, earlier ones keep the commit they saw. */
  push(sha = this.world.newSha(`pull-${this.pull.number}`)): string {
    this.pull.commits.push(sha);
    this.pull.headSha = sha;
    this.track(sha);
    return sha;
  }

  /** A review, in order; `login: null` is a review whose account GitHub no longer has (`user: null`). */
  review(login: string | null, state: ReviewState, options: PullReviewOptions = {}): this {
    this.pull.reviews.push({
      id: this.world.newId(1_000_000_000, 3_000_000_000),
      accountId: login === null ? null : this.world.ensure(login).id,
      state,
      commitId: options.commit ?? this.pull.headSha,
      submittedAt: this.world.stamp(options.at),
      body: options.body ?? '',
    });
    return this;
  }

  approve(login: string | null, options: PullReviewOptions = {}): this {
    return this.review(login, 'APPROVED', options);
  }

  /** Merge with the button; returns the commit pushed to the base branch. */
  merge(options: MergeOptions = {}): string {
    const { world, pull } = this;
    if (pull.merge) throw new Error(`Pull request #${pull.number} is merged already`);
    const kind = options.kind ?? 'merge';
    const sha = options.sha ?? world.newSha(`${kind}-${pull.number}`);
    // A rebase merge replays each commit onto the base: new commits, the last one is merge_commit_sha.
    const rebased = kind === 'rebase' ? [...pull.commits.slice(0, -1).map(() => world.newSha(`rebase-${pull.number}`)), sha] : [sha];
    const at = world.stamp(options.at);
    const by = options.by ?? world.accounts.get([...world.collaborators].find(([, role]) => role === 'admin')?.[0] ?? pull.authorId)!.login;
    pull.merge = { kind, sha, commits: rebased, at, byId: world.ensure(by).id, baseSha: world.newSha(`base-${pull.number}`) };
    pull.closedAt = at;
    for (const landed of kind === 'merge' ? [...pull.commits, sha] : rebased) {
      const commit = this.track(landed);
      commit.branches.add(pull.base);
      commit.introducedBy ??= pull.number;
    }
    return sha;
  }

  close(at?: string): this {
    this.pull.closedAt = this.world.stamp(at);
    return this;
  }

  private track(sha: string) {
    const commit = this.world.commit(sha);
    if (!commit.pulls.includes(this.pull.number)) commit.pulls.push(this.pull.number);
    return commit;
  }
}

function fileOf(spec: string | FileSpec): PullFile {
  const file = typeof spec === 'string' ? { filename: spec } : spec;
  const status = file.status ?? 'added';
  const additions = file.additions ?? (status === 'removed' ? 0 : 3);
  const deletions = file.deletions ?? (status === 'removed' ? 3 : status === 'modified' ? 1 : 0);
  return {
    filename: file.filename,
    status,
    additions,
    deletions,
    ...(file.previousFilename !== undefined && { previousFilename: file.previousFilename }),
    patch: file.patch ?? (status === 'added' ? '@@ -0,0 +1,3 @@\n+user-name: alice\n+reason: lost her phone\n+ticket: OPS-42' : '@@ -1 +1 @@\n-old\n+new'),
  };
}

/**
 * A merge queue merging these pull requests in one push: each gets its own merge commit, stacked
 * on the previous one; the base branch moves to the last, which is the push's GITHUB_SHA.
 */
export function mergeQueue(pulls: PullHandle[], options: Omit<MergeOptions, 'sha'> = {}): string {
  if (pulls.length === 0) throw new Error('A merge queue merges at least one pull request');
  let pushed = '';
  for (const pull of pulls) pushed = pull.merge({ ...options, by: options.by ?? 'github-merge-queue[bot]' });
  return pushed;
}
