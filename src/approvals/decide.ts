// Whether a run is approved: pure decisions over what GitHub reports, one per approval mode.
// Nothing here calls GitHub; gate.ts fetches and github.ts talks to the API. People are compared by
// their immutable account id, never by login: a login can be renamed, and later reclaimed by another.
import type { Approver, DeviceResult, Permission, Person, PullRequest, PullRequestReview, RunApproval } from '../record.ts';

/** Accounts whose approval never counts, and why: who started the run, who re-ran it, the pull request's author. */
export type Excluded = ReadonlyMap<number, string>;

export type Decision = { approved: true; approvers: Approver[] } | { approved: false; missing: string };

export type Permissions = ReadonlyMap<number, { permission: Permission; role: string }>;

const at = (person: Person): string => `@${person.login}`;

/** The people whose approval could count, before their permission is known: humans not excluded, once each. */
export function candidates(people: readonly (Person | undefined)[], excluded: Excluded): Person[] {
  const seen = new Set<number>();
  return people.filter(
    (person): person is Person => !!person && person.type === 'User' && !excluded.has(person.id) && !seen.has(person.id) && !!seen.add(person.id),
  );
}

/** Why a person's approval does not count; undefined when it does. */
export function whyNotCounted(person: Person | undefined, excluded: Excluded, permissions: Permissions): string | undefined {
  if (!person) return 'an approval by a deleted or unknown account';
  if (person.type !== 'User') return `${at(person)} is a ${person.type} account, not a person`;
  const role = excluded.get(person.id);
  if (role !== undefined) return `${at(person)} ${role}`;
  const permission = permissions.get(person.id)?.permission ?? 'none';
  if (permission !== 'write' && permission !== 'admin')
    return `${at(person)} has ${permission} permission on the repository (approvals count from write, maintain or admin)`;
  return undefined;
}

function count(
  people: readonly (Person | undefined)[],
  excluded: Excluded,
  permissions: Permissions,
  when: (person: Person) => string | undefined,
): Decision | { reasons: string[] } {
  const approvers: Approver[] = [];
  const reasons: string[] = [];
  for (const person of people) {
    const why = whyNotCounted(person, excluded, permissions);
    if (why !== undefined) reasons.push(why);
    else if (person && !approvers.some((approver) => approver.id === person.id)) {
      const { permission, role } = permissions.get(person.id) ?? { permission: 'none', role: '' };
      approvers.push({ login: person.login, id: person.id, permission, role, at: when(person) });
    }
  }
  return approvers.length > 0 ? { approved: true, approvers } : { reasons: [...new Set(reasons)] };
}

/**
 * `environment`: at least one approval in this run by a person with write or admin permission who
 * neither started nor re-ran it. A rejection by anyone stops the run anyway (GitHub does not start the job).
 */
export function decideEnvironment(approvals: readonly RunApproval[], excluded: Excluded, permissions: Permissions): Decision {
  const approved = approvals.filter((approval) => approval.state === 'approved');
  const counted = count(
    approved.map((approval) => approval.reviewer),
    excluded,
    permissions,
    () => undefined,
  );
  if ('approved' in counted) return counted;
  if (approved.length > 0) {
    return {
      approved: false,
      missing:
        `an approval by a person with write access other than who started or re-ran the run; none counts: ${counted.reasons.join('; ')}. ` +
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
 * The pull request this push merged: merged as exactly this commit (a merge, squash or rebase by the
 * button all make `merge_commit_sha` the pushed commit) into the pushed branch. Anything else (a
 * direct push of an approved head, a force-push back to an old merge, a merge into another branch)
 * is refused, naming what did not match.
 */
export function pullRequestOfPush(pulls: readonly PullRequest[], sha: string, branch: string): PullRequest | string {
  const match = pulls.find((pull) => pull.mergedAt !== undefined && pull.mergeCommitSha === sha && pull.baseRef === branch);
  if (match) return match;
  const short = sha.slice(0, 7);
  if (pulls.length === 0) return `a pull request merged as commit ${short} into ${branch}: the commit belongs to none (was it pushed directly?)`;
  const seen = pulls.map((pull) => {
    if (pull.mergedAt === undefined) return `#${pull.number} is not merged`;
    if (pull.mergeCommitSha !== sha) return `#${pull.number} was merged as ${pull.mergeCommitSha?.slice(0, 7) ?? 'no commit'}`;
    return `#${pull.number} was merged into ${pull.baseRef}`;
  });
  return `a pull request merged as commit ${short} into ${branch}: ${seen.join('; ')}`;
}

/** States that decide a reviewer's verdict; COMMENTED and PENDING leave it as it was. */
const DECISIVE = new Set(['APPROVED', 'CHANGES_REQUESTED', 'DISMISSED']);

/**
 * Each reviewer's current verdict, by account id: their latest decisive review. A later
 * CHANGES_REQUESTED replaces an approval; a dismissed approval is reported as DISMISSED.
 */
export function latestVerdicts(reviews: readonly PullRequestReview[]): PullRequestReview[] {
  const latest = new Map<number | undefined, PullRequestReview>();
  for (const review of reviews) if (DECISIVE.has(review.state)) latest.set(review.reviewer?.id, review);
  return [...latest.values()];
}

/** The approvals in force on the pull request's final head commit, within the age bound. */
export function approvalsInForce(
  pull: PullRequest,
  reviews: readonly PullRequestReview[],
  now: number,
  maxAgeMs: number,
): { fresh: PullRequestReview[]; missing: string | undefined } {
  const approvals = latestVerdicts(reviews).filter((review) => review.state === 'APPROVED');
  const name = `pull request #${pull.number}`;
  if (approvals.length === 0)
    return { fresh: [], missing: `an approving review of ${name}: it has none in force (a later "request changes" or a dismissal cancels an approval).` };
  const onHead = approvals.filter((review) => review.commitId === pull.headSha);
  if (onHead.length === 0) {
    return {
      fresh: [],
      missing: `an approval of ${name}'s final commit ${pull.headSha.slice(0, 7)}: every approval is of an earlier commit, and the pull request changed after that. Ask for a review of the final version.`,
    };
  }
  const fresh = onHead.filter((review) => review.submittedAt !== undefined && now - Date.parse(review.submittedAt) <= maxAgeMs);
  if (fresh.length === 0) {
    return {
      fresh: [],
      missing: `an approval of ${name} given within the last ${maxAgeMs / 3_600_000} hours (approval-max-age-hours): an old approval does not authorise a reset now. Open a new request.`,
    };
  }
  return { fresh, missing: undefined };
}

/**
 * `pull-request`: the pull request has a fresh approval on its final head commit by a person with
 * write or admin permission who is neither its author nor who started or re-ran the run.
 */
export function decidePullRequest(pull: PullRequest, fresh: readonly PullRequestReview[], excluded: Excluded, permissions: Permissions): Decision {
  const submitted = new Map(fresh.map((review) => [review.reviewer?.id, review.submittedAt]));
  const counted = count(
    fresh.map((review) => review.reviewer),
    excluded,
    permissions,
    (person) => submitted.get(person.id),
  );
  if ('approved' in counted) return counted;
  return { approved: false, missing: `an approval of pull request #${pull.number} that counts; none does: ${counted.reasons.join('; ')}.` };
}

/** The latest counted approval: a device enabled after it was not covered by any approval. */
export function approvedAt(approvers: readonly Approver[]): string | undefined {
  const times = approvers.flatMap((approver) => (approver.at === undefined ? [] : [approver.at]));
  return times.sort((a, b) => Date.parse(a) - Date.parse(b)).at(-1);
}

/**
 * An approval authorises a reset of the devices that existed when it was given: a device enabled
 * later (a re-run weeks on, after the user enrolled a new one) is marked not approved, never touched.
 * IAM's EnableDate and GitHub's submitted_at have whole seconds, so a device enabled in the second of
 * the approval may have come after it: it is not covered either.
 */
export function coveredByApproval(devices: readonly DeviceResult[], approvedAt: string | undefined): DeviceResult[] {
  if (approvedAt === undefined) return [...devices];
  const approvalSecond = Math.floor(Date.parse(approvedAt) / 1000) * 1000;
  return devices.map((entry) =>
    entry.device.enabledAt !== undefined && entry.device.enabledAt.getTime() >= approvalSecond
      ? {
          ...entry,
          deactivation: 'not-approved',
          problem: `enabled at ${entry.device.enabledAt.toISOString()}, not before the approval at ${approvedAt}; a new request is needed`,
        }
      : entry,
  );
}
