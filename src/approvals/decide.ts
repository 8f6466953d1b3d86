// Whether a run is approved: pure decisions over what GitHub reports, one per approval mode.
// Nothing here calls GitHub; gate.ts fetches and github.ts talks to the API.
import type { PullRequest, PullRequestReview, RunApproval } from '../record.ts';

/** Who started the run: `github.actor`, and who clicked re-run (GITHUB_TRIGGERING_ACTOR). */
export interface Requesters {
  actor: string;
  triggeringActor: string;
}

export type Decision = { approved: true; approvers: string[] } | { approved: false; missing: string };

/** GitHub logins are case-insensitive. */
export function sameLogin(a: string, b: string): boolean {
  return a !== '' && a.toLowerCase() === b.toLowerCase();
}

function isRequester(login: string, requesters: Requesters): boolean {
  return sameLogin(login, requesters.actor) || sameLogin(login, requesters.triggeringActor);
}

function unique(logins: readonly string[]): string[] {
  const seen = new Set<string>();
  return logins.filter((login) => !seen.has(login.toLowerCase()) && seen.add(login.toLowerCase()));
}

function listLogins(logins: readonly string[]): string {
  return logins.map((login) => `@${login}`).join(', ');
}

function whoRan(requesters: Requesters): string {
  const { actor, triggeringActor } = requesters;
  return triggeringActor && !sameLogin(actor, triggeringActor) ? `@${actor} (who started the run) or @${triggeringActor} (who re-ran it)` : `@${actor}`;
}

/**
 * `environment`: at least one approval in this run by someone who is neither the actor nor the
 * person who re-ran it. A rejection by anyone stops the run anyway (GitHub does not start the job).
 */
export function decideEnvironment(approvals: readonly RunApproval[], requesters: Requesters): Decision {
  const approved = approvals.filter((approval) => approval.state === 'approved');
  const approvers = unique(approved.map((approval) => approval.reviewer).filter((login) => !isRequester(login, requesters)));
  if (approvers.length > 0) return { approved: true, approvers };
  if (approved.length > 0) {
    return {
      approved: false,
      missing:
        `an approval by someone other than ${whoRan(requesters)}: this run was approved only by ${listLogins(unique(approved.map((a) => a.reviewer)))}. ` +
        'Turn on "Prevent self-review" in the environment\'s protection rules, and ask another required reviewer to approve.',
    };
  }
  return {
    approved: false,
    missing:
      'an environment approval: this run has none. Give the job an `environment:` whose protection rules list required reviewers, ' +
      'so that someone other than the person who started the run approves it.',
  };
}

/**
 * The pull request a pushed commit came from: the merged one whose merge commit is this commit,
 * else any merged one (a rebase merge leaves several commits of one pull request).
 */
export function mergedPullRequestOf(pulls: readonly PullRequest[], sha: string): PullRequest | undefined {
  const merged = pulls.filter((pull) => pull.mergedAt !== undefined);
  return merged.find((pull) => pull.mergeCommitSha === sha) ?? merged[0];
}

/** States that decide a reviewer's verdict; COMMENTED and PENDING leave it as it was. */
const DECISIVE = new Set(['APPROVED', 'CHANGES_REQUESTED', 'DISMISSED']);

/**
 * Each reviewer's current verdict: their latest decisive review. A later CHANGES_REQUESTED replaces
 * an approval; a dismissed approval is reported by GitHub as DISMISSED.
 */
export function latestVerdicts(reviews: readonly PullRequestReview[]): PullRequestReview[] {
  const latest = new Map<string, PullRequestReview>();
  for (const review of reviews) if (DECISIVE.has(review.state)) latest.set(review.reviewer.toLowerCase(), review);
  return [...latest.values()];
}

/**
 * `pull-request`: the pull request has an approval on its final head commit by someone who is
 * neither its author nor the person running the workflow. An approval of an earlier commit says
 * nothing about what was merged.
 */
export function decidePullRequest(pull: PullRequest, reviews: readonly PullRequestReview[], requesters: Requesters): Decision {
  const approvals = latestVerdicts(reviews).filter((review) => review.state === 'APPROVED');
  const others = approvals.filter((review) => !sameLogin(review.reviewer, pull.author) && !isRequester(review.reviewer, requesters));
  const onHead = others.filter((review) => review.commitId === pull.headSha);
  if (onHead.length > 0) return { approved: true, approvers: onHead.map((review) => review.reviewer) };

  const name = `pull request #${pull.number}`;
  const head = pull.headSha.slice(0, 7);
  if (others.length > 0) {
    return {
      approved: false,
      missing:
        `an approval of ${name}'s final commit ${head}: ${listLogins(others.map((r) => r.reviewer))} approved an earlier commit, ` +
        'and the pull request changed after that. Ask for a review of the final version.',
    };
  }
  if (approvals.length > 0) {
    return {
      approved: false,
      missing:
        `an approval of ${name} by someone other than its author @${pull.author} and ${whoRan(requesters)}: ` +
        `it was approved only by ${listLogins(approvals.map((r) => r.reviewer))}.`,
    };
  }
  return { approved: false, missing: `an approving review of ${name}: it has none in force (a later "request changes" or a dismissal cancels an approval).` };
}
