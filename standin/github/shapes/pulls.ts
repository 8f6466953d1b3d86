// Pull requests, their reviews and files in GitHub's JSON shapes: `pull-request-simple` (a
// commit's pull requests), `pull-request` (GET pulls/{n}), `pull-request-review`, `diff-entry`.
import type { Pull, PullFile, Review } from '../model.ts';
import { type AccountShapes, hexOf, type Json, newNodeId, WEB } from './common.ts';

export class PullShapes {
  private readonly base: AccountShapes;

  constructor(base: AccountShapes) {
    this.base = base;
  }

  private pullUrls(pull: Pull): Json {
    const api = this.base.repoApi;
    const html = `${WEB}/${this.base.fullName()}/pull/${pull.number}`;
    return {
      url: `${api}/pulls/${pull.number}`,
      id: pull.id,
      node_id: newNodeId('PR', pull.id),
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      issue_url: `${api}/issues/${pull.number}`,
      commits_url: `${api}/pulls/${pull.number}/commits`,
      review_comments_url: `${api}/pulls/${pull.number}/comments`,
      review_comment_url: `${api}/pulls/comments{/number}`,
      comments_url: `${api}/issues/${pull.number}/comments`,
      statuses_url: `${api}/statuses/${pull.headSha}`,
    };
  }

  private branch(pull: Pull, side: 'head' | 'base'): Json {
    const world = this.base.world;
    const fork = side === 'head' && pull.forkOwnerId !== undefined ? world.requireId(pull.forkOwnerId) : undefined;
    const owner = fork ?? world.owner();
    const ref = side === 'head' ? pull.headRef : pull.base;
    const sha = side === 'head' ? pull.headSha : (pull.merge?.baseSha ?? this.baseTip(pull));
    const repo = fork ? this.base.repository({ owner: fork, id: pull.id % 900_000_000, fork: true }) : this.base.repository();
    return { label: `${owner.login}:${ref}`, ref, sha, user: this.base.user(owner), repo };
  }

  /** The base branch's tip the pull request was opened against (stable per pull request). */
  private baseTip(pull: Pull): string {
    return hexOf(`base:${pull.base}:${pull.number}`);
  }

  pullSimple(pull: Pull): Json {
    const api = this.base.repoApi;
    const merged = pull.merge !== undefined;
    const links = (href: string) => ({ href });
    return {
      ...this.pullUrls(pull),
      number: pull.number,
      state: pull.closedAt === null ? 'open' : 'closed',
      locked: false,
      title: pull.title,
      user: this.base.user(this.base.world.requireId(pull.authorId)),
      body: pull.body,
      labels: [],
      milestone: null,
      active_lock_reason: null,
      created_at: pull.createdAt,
      updated_at: pull.merge?.at ?? pull.closedAt ?? pull.createdAt,
      closed_at: pull.closedAt,
      merged_at: merged ? pull.merge!.at : null,
      // Before a merge GitHub shows its test merge commit here, on no branch; after, the commit the merge pushed.
      merge_commit_sha: pull.merge?.sha ?? hexOf(`test-merge:${pull.number}:${pull.headSha}`),
      assignee: null,
      assignees: [],
      requested_reviewers: [],
      requested_teams: [],
      head: this.branch(pull, 'head'),
      base: this.branch(pull, 'base'),
      _links: {
        self: links(`${api}/pulls/${pull.number}`),
        html: links(`${WEB}/${this.base.fullName()}/pull/${pull.number}`),
        issue: links(`${api}/issues/${pull.number}`),
        comments: links(`${api}/issues/${pull.number}/comments`),
        review_comments: links(`${api}/pulls/${pull.number}/comments`),
        review_comment: links(`${api}/pulls/comments{/number}`),
        commits: links(`${api}/pulls/${pull.number}/commits`),
        statuses: links(`${api}/statuses/${pull.headSha}`),
      },
      author_association: this.base.world.associationOf(pull.authorId),
      auto_merge: null,
      draft: pull.draft,
    };
  }

  pull(pull: Pull): Json {
    const merged = pull.merge !== undefined;
    const additions = pull.files.reduce((sum, file) => sum + file.additions, 0);
    const deletions = pull.files.reduce((sum, file) => sum + file.deletions, 0);
    return {
      ...this.pullSimple(pull),
      merged,
      mergeable: merged || pull.closedAt !== null ? null : true,
      rebaseable: merged || pull.closedAt !== null ? null : true,
      mergeable_state: merged || pull.closedAt !== null ? 'unknown' : 'clean',
      merged_by: merged ? this.base.user(this.base.world.requireId(pull.merge!.byId)) : null,
      comments: 0,
      review_comments: 0,
      maintainer_can_modify: false,
      commits: pull.commits.length,
      additions,
      deletions,
      changed_files: pull.files.length,
    };
  }

  review(pull: Pull, review: Review): Json {
    const html = `${WEB}/${this.base.fullName()}/pull/${pull.number}#pullrequestreview-${review.id}`;
    const pullUrl = `${this.base.repoApi}/pulls/${pull.number}`;
    return {
      id: review.id,
      node_id: newNodeId('PRR', review.id),
      user: this.base.userById(review.accountId),
      body: review.body,
      state: review.state,
      html_url: html,
      pull_request_url: pullUrl,
      author_association: review.accountId === null ? 'NONE' : this.base.world.associationOf(review.accountId),
      _links: { html: { href: html }, pull_request: { href: pullUrl } },
      ...(review.state !== 'PENDING' && { submitted_at: review.submittedAt }),
      commit_id: review.commitId,
    };
  }

  file(pull: Pull, file: PullFile): Json {
    const sha = hexOf(`${file.status === 'removed' ? 'removed' : pull.headSha}:${file.filename}`);
    const path = file.filename.split('/').map(encodeURIComponent).join('/');
    return {
      sha,
      filename: file.filename,
      status: file.status,
      additions: file.additions,
      deletions: file.deletions,
      changes: file.additions + file.deletions,
      blob_url: `${WEB}/${this.base.fullName()}/blob/${pull.headSha}/${path}`,
      raw_url: `${WEB}/${this.base.fullName()}/raw/${pull.headSha}/${path}`,
      contents_url: `${this.base.repoApi}/contents/${path}?ref=${pull.headSha}`,
      ...(file.patch !== undefined && { patch: file.patch }),
      ...(file.previousFilename !== undefined && { previous_filename: file.previousFilename }),
    };
  }
}
