// The approval decisions, one table per mode: who counts as an approver, and what a refusal names.
import { describe, expect, it } from 'vitest';
import { decideEnvironment, decidePullRequest, latestVerdicts, mergedPullRequestOf } from '../../src/approvals/decide.ts';
import type { PullRequest, PullRequestReview, RunApproval } from '../../src/record.ts';

const ran = { actor: 'alice', triggeringActor: 'alice' };
const approval = (reviewer: string, state: RunApproval['state'] = 'approved'): RunApproval => ({ reviewer, state, environments: ['iam-admin'], comment: 'ok' });

describe('decideEnvironment', () => {
  it.each([
    { name: 'approved by another person', approvals: [approval('bob')], requesters: ran, expected: { approved: true, approvers: ['bob'] } },
    {
      name: 'self-approved',
      approvals: [approval('alice')],
      requesters: ran,
      expected: { approved: false, missing: expect.stringContaining('someone other than @alice: this run was approved only by @alice') },
    },
    {
      name: 'self-approved, login in another case',
      approvals: [approval('ALICE')],
      requesters: ran,
      expected: { approved: false, missing: expect.stringContaining('approved only by @ALICE') },
    },
    {
      name: 'approved by the person who re-ran it',
      approvals: [approval('carol')],
      requesters: { actor: 'alice', triggeringActor: 'carol' },
      expected: { approved: false, missing: expect.stringContaining('@alice (who started the run) or @carol (who re-ran it)') },
    },
    { name: 'no approval at all', approvals: [], requesters: ran, expected: { approved: false, missing: expect.stringContaining('this run has none') } },
    {
      name: 'only a pending comment',
      approvals: [approval('bob', 'pending')],
      requesters: ran,
      expected: { approved: false, missing: expect.stringContaining('this run has none') },
    },
    {
      name: 'a rejection does not approve',
      approvals: [approval('bob', 'rejected')],
      requesters: ran,
      expected: { approved: false, missing: expect.stringContaining('has none') },
    },
    {
      name: 'self and another: the other counts, once',
      approvals: [approval('alice'), approval('bob'), approval('Bob')],
      requesters: ran,
      expected: { approved: true, approvers: ['bob'] },
    },
  ])('$name', ({ approvals, requesters, expected }) => {
    expect(decideEnvironment(approvals, requesters)).toEqual(expected);
  });
});

const HEAD = 'c0ffee0000000000000000000000000000000002';
const OLD = 'c0ffee0000000000000000000000000000000001';
const pull = (overrides: Partial<PullRequest> = {}): PullRequest => ({
  number: 7,
  author: 'dave',
  url: 'https://github.com/octo/app/pull/7',
  mergedAt: '2026-11-20T10:00:00Z',
  mergeCommitSha: 'm3rge',
  headSha: HEAD,
  ...overrides,
});
const review = (reviewer: string, state: string, commitId: string | undefined = HEAD): PullRequestReview => ({ reviewer, state, commitId });

describe('mergedPullRequestOf', () => {
  it.each([
    { name: 'the one merged as this commit', pulls: [pull({ number: 1, mergeCommitSha: 'other' }), pull({ number: 2, mergeCommitSha: 'sha' })], expected: 2 },
    { name: 'any merged one (a rebase merge)', pulls: [pull({ number: 3, mergedAt: undefined }), pull({ number: 4, mergeCommitSha: 'other' })], expected: 4 },
    { name: 'an open pull request does not count', pulls: [pull({ number: 5, mergedAt: undefined, mergeCommitSha: 'sha' })], expected: undefined },
    { name: 'none', pulls: [], expected: undefined },
  ])('$name', ({ pulls, expected }) => {
    expect(mergedPullRequestOf(pulls, 'sha')?.number).toBe(expected);
  });
});

describe('latestVerdicts', () => {
  it.each([
    {
      name: 'a later request for changes replaces an approval',
      reviews: [review('bob', 'APPROVED'), review('bob', 'CHANGES_REQUESTED')],
      expected: ['CHANGES_REQUESTED'],
    },
    { name: 'a later comment does not', reviews: [review('bob', 'APPROVED'), review('bob', 'COMMENTED')], expected: ['APPROVED'] },
    { name: 'a dismissed approval is DISMISSED', reviews: [review('bob', 'DISMISSED')], expected: ['DISMISSED'] },
    { name: 'approval after changes requested', reviews: [review('bob', 'CHANGES_REQUESTED'), review('BOB', 'APPROVED')], expected: ['APPROVED'] },
    { name: 'pending reviews are ignored', reviews: [review('bob', 'PENDING')], expected: [] },
  ])('$name', ({ reviews, expected }) => {
    expect(latestVerdicts(reviews).map((r) => r.state)).toEqual(expected);
  });
});

describe('decidePullRequest', () => {
  const merger = { actor: 'erin', triggeringActor: 'erin' };
  it.each([
    { name: 'approved on the final commit by a third person', reviews: [review('bob', 'APPROVED')], expected: { approved: true, approvers: ['bob'] } },
    {
      name: 'approved on an older commit, then changed',
      reviews: [review('bob', 'APPROVED', OLD)],
      expected: { approved: false, missing: expect.stringMatching(/final commit c0ffee0: @bob approved an earlier commit/) },
    },
    {
      name: 'approved by its author only',
      reviews: [review('dave', 'APPROVED')],
      expected: { approved: false, missing: expect.stringContaining('other than its author @dave') },
    },
    {
      name: 'approved by the person who merged and runs it',
      reviews: [review('Erin', 'APPROVED')],
      expected: { approved: false, missing: expect.stringContaining('approved only by @Erin') },
    },
    {
      name: 'approval withdrawn by a later request for changes',
      reviews: [review('bob', 'APPROVED'), review('bob', 'CHANGES_REQUESTED')],
      expected: { approved: false, missing: expect.stringContaining('has none in force') },
    },
    { name: 'approval dismissed', reviews: [review('bob', 'DISMISSED')], expected: { approved: false, missing: expect.stringContaining('has none in force') } },
    { name: 'no review', reviews: [], expected: { approved: false, missing: expect.stringContaining('an approving review of pull request #7') } },
    {
      name: 'one stale, one current',
      reviews: [review('bob', 'APPROVED', OLD), review('carol', 'APPROVED')],
      expected: { approved: true, approvers: ['carol'] },
    },
  ])('$name', ({ reviews, expected }) => {
    expect(decidePullRequest(pull(), reviews, merger)).toEqual(expected);
  });
});
