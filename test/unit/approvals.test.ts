// The approval decisions, one table per rule: who counts as an approver (by account id, human, with
// write access, not a requester), which pull request a push merged, which approvals are in force,
// and which devices an approval covers.
import { describe, expect, it } from 'vitest';
import {
  approvalsInForce,
  approvedAt,
  candidates,
  coveredByApproval,
  decideEnvironment,
  decidePullRequest,
  type Excluded,
  latestVerdicts,
  type Permissions,
  pullRequestOfPush,
  whyNotCounted,
} from '../../src/approvals/decide.ts';
import type { DeviceResult, Permission, Person, PullRequest, PullRequestReview, RunApproval } from '../../src/record.ts';

const person = (login: string, id: number, type = 'User'): Person => ({ login, id, type });
const ALICE = person('alice', 1);
const BOB = person('bob', 2);
const CAROL = person('carol', 3);
const DAVE = person('dave', 4);
const BOT = person('github-actions[bot]', 41898282, 'Bot');
/** alice renamed her account to "bob-2" and approves her own run: same id, another login. */
const ALICE_RENAMED = person('bob-2', 1);

const excluded: Excluded = new Map([
  [ALICE.id, 'started the run'],
  [CAROL.id, 're-ran the run'],
]);
const permissions = (entries: [Person, Permission, string?][]): Permissions =>
  new Map(entries.map(([who, permission, role]) => [who.id, { permission, role: role ?? permission }]));
const WRITERS = permissions([
  [BOB, 'write'],
  [DAVE, 'admin'],
  [CAROL, 'write'],
]);
const approval = (reviewer: Person | undefined, state: RunApproval['state'] = 'approved'): RunApproval => ({
  reviewer,
  state,
  environments: ['iam-admin'],
  comment: 'ok',
});

describe('whyNotCounted', () => {
  it.each([
    { name: 'a person with write access', who: BOB, expected: undefined },
    { name: 'a maintainer (maintain reads as write)', who: BOB, perms: permissions([[BOB, 'write', 'maintain']]), expected: undefined },
    { name: 'an admin', who: DAVE, expected: undefined },
    { name: 'the actor', who: ALICE, expected: '@alice started the run' },
    { name: 'the actor under a new login', who: ALICE_RENAMED, expected: '@bob-2 started the run' },
    { name: 'who re-ran it', who: CAROL, expected: '@carol re-ran the run' },
    {
      name: 'a read-only collaborator',
      who: BOB,
      perms: permissions([[BOB, 'read']]),
      expected: '@bob has read permission on the repository (approvals count from write, maintain or admin)',
    },
    { name: 'a triager (triage reads as read)', who: BOB, perms: permissions([[BOB, 'read', 'triage']]), expected: expect.stringContaining('read permission') },
    { name: 'not a collaborator', who: person('eve', 5), expected: expect.stringContaining('@eve has none permission') },
    { name: 'a bot', who: BOT, expected: '@github-actions[bot] is a Bot account, not a person' },
    { name: 'a deleted account (user null)', who: undefined, expected: 'an approval by a deleted or unknown account' },
  ])('$name', ({ who, perms, expected }) => {
    expect(whyNotCounted(who, excluded, perms ?? WRITERS)).toEqual(expected);
  });
});

describe('candidates: whose permission is worth asking', () => {
  it('humans not excluded, once each by id', () => {
    expect(candidates([BOB, ALICE, BOT, undefined, BOB, person('BOB', 2), DAVE, ALICE_RENAMED], excluded)).toEqual([BOB, DAVE]);
  });
});

describe('decideEnvironment', () => {
  it.each([
    {
      name: 'approved by another person with write access',
      approvals: [approval(BOB)],
      expected: { approved: true, approvers: [{ login: 'bob', id: 2, permission: 'write', role: 'write', at: undefined }] },
    },
    {
      name: 'self-approved',
      approvals: [approval(ALICE)],
      expected: { approved: false, missing: expect.stringContaining('none counts: @alice started the run') },
    },
    {
      name: 'self-approved after a rename',
      approvals: [approval(ALICE_RENAMED)],
      expected: { approved: false, missing: expect.stringContaining('@bob-2 started the run') },
    },
    {
      name: 'approved by who re-ran it',
      approvals: [approval(CAROL)],
      expected: { approved: false, missing: expect.stringContaining('@carol re-ran the run') },
    },
    { name: 'approved by a bot', approvals: [approval(BOT)], expected: { approved: false, missing: expect.stringContaining('is a Bot account') } },
    {
      name: 'approved by a deleted account',
      approvals: [approval(undefined)],
      expected: { approved: false, missing: expect.stringContaining('deleted or unknown account') },
    },
    {
      name: 'approved by a read-only collaborator',
      approvals: [approval(person('rita', 9))],
      perms: permissions([[person('rita', 9), 'read']]),
      expected: { approved: false, missing: expect.stringContaining('@rita has read permission') },
    },
    { name: 'no approval at all', approvals: [], expected: { approved: false, missing: expect.stringContaining('this run has none') } },
    {
      name: 'only a pending comment',
      approvals: [approval(BOB, 'pending')],
      expected: { approved: false, missing: expect.stringContaining('this run has none') },
    },
    {
      name: 'a rejection does not approve',
      approvals: [approval(BOB, 'rejected')],
      expected: { approved: false, missing: expect.stringContaining('has none') },
    },
    {
      name: 'self and another: the other counts, once',
      approvals: [approval(ALICE), approval(BOB), approval(person('Bob', 2))],
      expected: { approved: true, approvers: [expect.objectContaining({ login: 'bob', id: 2 })] },
    },
  ])('$name', ({ approvals, perms, expected }) => {
    expect(decideEnvironment(approvals, excluded, perms ?? WRITERS)).toEqual(expected);
  });
});

const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const HEAD = 'c0ffee0000000000000000000000000000000002';
const OLD = 'c0ffee0000000000000000000000000000000001';
const pull = (overrides: Partial<PullRequest> = {}): PullRequest => ({
  number: 7,
  author: DAVE,
  url: 'https://github.com/octo/app/pull/7',
  baseRef: 'main',
  mergedAt: '2026-11-20T10:00:00Z',
  mergeCommitSha: SHA,
  headSha: HEAD,
  ...overrides,
});

describe('pullRequestOfPush: only the pull request merged as this commit into the pushed branch', () => {
  it.each([
    { name: 'merged (merge, squash or rebase: merge_commit_sha is the pushed commit)', pulls: [pull()], expected: 7 },
    { name: 'a merge queue of one, among others of the commit', pulls: [pull({ number: 1, mergeCommitSha: 'other' }), pull({ number: 2 })], expected: 2 },
    { name: 'a direct push of an approved head', pulls: [pull({ mergedAt: undefined, mergeCommitSha: 'test-merge' })], expected: '#7 is not merged' },
    { name: 'a force-push back to an old approved merge', pulls: [pull({ mergeCommitSha: 'f0f0f0f0' })], expected: '#7 was merged as f0f0f0f' },
    { name: 'merged into another branch', pulls: [pull({ baseRef: 'unprotected' })], expected: '#7 was merged into unprotected' },
    { name: 'no pull request at all', pulls: [], expected: 'the commit belongs to none' },
  ])('$name', ({ pulls, expected }) => {
    const found = pullRequestOfPush(pulls, SHA, 'main');
    if (typeof expected === 'number') expect(found).toMatchObject({ number: expected });
    else expect(found).toEqual(expect.stringContaining(expected));
  });
});

const NOW = Date.parse('2026-12-01T12:00:00Z');
const DAY = 24 * 3_600_000;
const review = (reviewer: Person | undefined, state: string, commitId = HEAD, submittedAt = '2026-12-01T10:00:00Z'): PullRequestReview => ({
  reviewer,
  state,
  commitId,
  submittedAt,
});

describe('latestVerdicts, by account id', () => {
  it.each([
    {
      name: 'a later request for changes replaces an approval',
      reviews: [review(BOB, 'APPROVED'), review(BOB, 'CHANGES_REQUESTED')],
      expected: ['CHANGES_REQUESTED'],
    },
    { name: 'a later comment does not', reviews: [review(BOB, 'APPROVED'), review(BOB, 'COMMENTED')], expected: ['APPROVED'] },
    { name: 'a dismissed approval is DISMISSED', reviews: [review(BOB, 'DISMISSED')], expected: ['DISMISSED'] },
    {
      name: 'the same account under a new login',
      reviews: [review(BOB, 'APPROVED'), review(person('robert', 2), 'CHANGES_REQUESTED')],
      expected: ['CHANGES_REQUESTED'],
    },
    { name: 'pending reviews are ignored', reviews: [review(BOB, 'PENDING')], expected: [] },
  ])('$name', ({ reviews, expected }) => {
    expect(latestVerdicts(reviews).map((r) => r.state)).toEqual(expected);
  });
});

describe('approvalsInForce: on the final commit, within approval-max-age-hours', () => {
  it.each([
    { name: 'a fresh approval of the final commit', reviews: [review(BOB, 'APPROVED')], fresh: 1, missing: undefined },
    {
      name: 'approved on an older commit, then changed',
      reviews: [review(BOB, 'APPROVED', OLD)],
      fresh: 0,
      missing: 'final commit c0ffee0: every approval is of an earlier commit',
    },
    {
      name: 'an approval older than the bound (a re-run weeks later)',
      reviews: [review(BOB, 'APPROVED', HEAD, '2026-11-01T10:00:00Z')],
      fresh: 0,
      missing: 'within the last 24 hours',
    },
    {
      name: 'withdrawn by a later request for changes',
      reviews: [review(BOB, 'APPROVED'), review(BOB, 'CHANGES_REQUESTED')],
      fresh: 0,
      missing: 'has none in force',
    },
    { name: 'no review', reviews: [], fresh: 0, missing: 'an approving review of pull request #7' },
  ])('$name', ({ reviews, fresh, missing }) => {
    const result = approvalsInForce(pull(), reviews, NOW, DAY);
    expect(result.fresh).toHaveLength(fresh);
    if (missing === undefined) expect(result.missing).toBeUndefined();
    else expect(result.missing).toContain(missing);
  });
});

describe('decidePullRequest: who among the fresh approvals counts', () => {
  const withAuthor: Excluded = new Map([...excluded, [DAVE.id, 'authored the pull request']]);
  it.each([
    { name: 'a third person with write access', reviews: [review(BOB, 'APPROVED')], approvers: ['bob'] },
    { name: 'its author only', reviews: [review(DAVE, 'APPROVED')], missing: '@dave authored the pull request' },
    { name: 'the person who runs it', reviews: [review(ALICE, 'APPROVED')], missing: '@alice started the run' },
    {
      name: 'a second account of the author without write access',
      reviews: [review(person('dave-alt', 44), 'APPROVED')],
      missing: '@dave-alt has none permission',
    },
    { name: 'github-actions[bot]', reviews: [review(BOT, 'APPROVED')], missing: 'is a Bot account' },
    { name: 'a review whose user is null', reviews: [review(undefined, 'APPROVED')], missing: 'deleted or unknown account' },
  ])('$name', ({ reviews, approvers, missing }) => {
    const decision = decidePullRequest(pull(), reviews, withAuthor, WRITERS);
    if (approvers) expect(decision).toMatchObject({ approved: true, approvers: approvers.map((login) => ({ login, at: '2026-12-01T10:00:00Z' })) });
    else expect(decision).toEqual({ approved: false, missing: expect.stringContaining(missing ?? '') });
  });
});

describe('approvedAt and coveredByApproval: an approval covers the devices that existed when it was given', () => {
  const device = (serial: string, enabledAt: string): DeviceResult => ({
    device: { serial, kind: 'virtual', enabledAt: new Date(enabledAt) },
    deactivation: undefined,
    deletion: undefined,
    problem: undefined,
  });
  const approver = (at: string) => ({ login: 'bob', id: 2, permission: 'write' as const, role: 'write', at });

  it('the latest counted approval is the bound', () => {
    expect(approvedAt([approver('2026-12-01T09:00:00Z'), approver('2026-12-01T10:30:00Z'), approver('2026-12-01T10:00:00Z')])).toBe('2026-12-01T10:30:00Z');
    expect(approvedAt([])).toBeUndefined();
  });

  it('a device enabled after the approval is marked not approved; one enabled before is untouched', () => {
    const [before, after] = coveredByApproval([device('old', '2026-11-30T00:00:00Z'), device('new', '2026-12-01T11:00:00Z')], '2026-12-01T10:00:00Z');
    expect(before?.deactivation).toBeUndefined();
    expect(after).toMatchObject({ deactivation: 'not-approved', problem: expect.stringContaining('not before the approval at 2026-12-01T10:00:00Z') });
  });

  it('a device enabled in the same whole second as the approval may have come after it: not covered', () => {
    const [same, before] = coveredByApproval([device('same', '2026-12-01T10:00:00Z'), device('before', '2026-12-01T09:59:59Z')], '2026-12-01T10:00:00.400Z');
    expect(same?.deactivation).toBe('not-approved');
    expect(before?.deactivation).toBeUndefined();
  });

  it('without an approval time (environment mode, none) every device is covered', () => {
    expect(coveredByApproval([device('new', '2026-12-01T11:00:00Z')], undefined)[0]?.deactivation).toBeUndefined();
  });
});
