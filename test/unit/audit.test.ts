// Traceability: the session name for any login, the version, the user-tag decision and the audit section.
import { readFileSync } from 'node:fs';
import * as core from '@actions/core';
import { describe, expect, it } from 'vitest';
import { defaultSessionName, SESSION_NAME } from '../../src/inputs/session-name.ts';
import type { ApprovalRecord } from '../../src/record.ts';
import { composeAuditSection } from '../../src/report/audit.ts';
import { outputsOf } from '../../src/report/outputs.ts';
import { runFacts, VERSION } from '../../src/runner/context.ts';
import { emptyReport } from './records.ts';

const person = (login: string, id: number) => ({ login, id, type: 'User' });
const approver = (login: string, id: number, at?: string) => ({ login, id, permission: 'write' as const, role: 'maintain', at });
const approvalRecord = (mode: ApprovalRecord['mode'], requester: string, id: number): ApprovalRecord => ({
  mode,
  attempt: 1,
  runApprovals: [],
  pullRequest: undefined,
  approvers: [],
  permissions: [],
  requester: { login: requester, id },
  approvedAt: undefined,
});
const approvalOutputs = (report: Parameters<typeof outputsOf>[0]) => {
  const { approvals, 'pull-request': pullRequest } = outputsOf(report);
  return { approvals, 'pull-request': pullRequest };
};

describe("defaultSessionName stays within AWS's rule and keeps the run", () => {
  it.each([
    { name: 'a login', parts: { actor: 'octocat', runId: 4242, runAttempt: 2 }, expected: 'gh-octocat-4242-2' },
    { name: 'a bot', parts: { actor: 'dependabot[bot]', runId: 1, runAttempt: 1 }, expected: 'gh-dependabot-bot--1-1' },
    {
      name: 'a 39-character login and an 11-digit run id',
      parts: { actor: 'a'.repeat(39), runId: 19_876_543_210, runAttempt: 3 },
      expected: `gh-${'a'.repeat(39)}-19876543210-3`,
    },
    {
      name: 'a 39-character login and a 16-digit run id',
      parts: { actor: 'b'.repeat(39), runId: 9_007_199_254_740_991, runAttempt: 12 },
      expected: `gh-${'b'.repeat(39)}-9007199254740991-12`,
    },
    {
      name: 'a login longer than GitHub allows',
      parts: { actor: 'c'.repeat(80), runId: 9_007_199_254_740_991, runAttempt: 12 },
      expected: `gh-${'c'.repeat(41)}-9007199254740991-12`,
    },
    {
      name: 'a long bot name',
      parts: { actor: 'github-advanced-security-autofix[bot]', runId: 123, runAttempt: 1 },
      expected: 'gh-github-advanced-security-autofix-bot--123-1',
    },
    { name: 'no actor', parts: { actor: '', runId: 0, runAttempt: 1 }, expected: 'gh-unknown-0-1' },
  ])('$name', ({ parts, expected }) => {
    const name = defaultSessionName(parts);
    expect(name).toBe(expected);
    expect(name).toMatch(SESSION_NAME);
    expect(name.endsWith(`-${parts.runId}-${parts.runAttempt}`)).toBe(true);
  });
});

describe('the action version (runFacts)', () => {
  it("compiles in package.json's version", () => {
    expect(VERSION).toBe((JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version);
  });
  it.each([
    { env: {}, expected: VERSION },
    { env: { GITHUB_ACTION_REPOSITORY: 'octo/deactivate-iam-mfa', GITHUB_ACTION_REF: '0123abc' }, expected: `${VERSION} (octo/deactivate-iam-mfa@0123abc)` },
    { env: { GITHUB_ACTION_REPOSITORY: '', GITHUB_ACTION_REF: '' }, expected: VERSION },
  ])('$env', ({ env, expected }) => expect(runFacts(env).version).toBe(expected));
});

describe('the audit section and outputs', () => {
  it("lists every reviewer, escaped and redacted, the session name and each change's request id", () => {
    const audit = emptyReport({ version: '0.1.0 (octo/x@abc)', masked: ['secret-user'] });
    const runApprovals = [
      { reviewer: person('bob', 2), state: 'approved' as const, environments: ['iam-admin'], comment: 'ok <b>for</b> secret-user' },
      { reviewer: person('alice', 1), state: 'pending' as const, environments: ['iam-admin'], comment: '' },
    ];
    audit.approval = { ...approvalRecord('environment', 'alice', 1), approvers: [approver('bob', 2)], runApprovals };
    audit.sessionName = { name: 'gh-alice-1-1', from: 'default' };
    audit.changes = [{ operation: 'DeactivateMFADevice', serial: 'GAHT1234567', requestId: 'req-1', outcome: 'ok', attempts: 1 }];
    core.summary.emptyBuffer();

    const html = composeAuditSection(core.summary, audit).stringify();

    expect(html).toContain('<td>@bob (id 2)</td><td>approved</td><td>iam-admin</td><td>ok &#60;b&#62;for&#60;/b&#62; ***</td>');
    expect(html).toContain('<th>Counted approvers</th><td>@bob (id 2), maintain</td>');
    expect(html).not.toContain('secret-user');
    expect(html).toContain("<code>gh-alice-1-1</code> (the action's default)");
    expect(html).toContain('<td>DeactivateMFADevice</td><td><code>GAHT1234567</code></td><td><code>req-1</code></td><td>ok</td>');
    expect(html).toContain('0.1.0 (octo/x@abc)');
    expect(JSON.parse(approvalOutputs(audit)['approvals'] ?? '')).toEqual([
      { reviewer: 'bob', reviewerId: 2, state: 'approved', environments: ['iam-admin'], comment: 'ok <b>for</b> secret-user' },
      { reviewer: 'alice', reviewerId: 1, state: 'pending', environments: ['iam-admin'], comment: '' },
    ]);
  });

  it('names the pull request, its author, its approvers and the request', () => {
    const audit = emptyReport({ version: '0.1.0' });
    const pullRequest = {
      number: 7,
      author: person('dave', 4),
      url: 'https://github.com/octo/app/pull/7',
      baseRef: 'main',
      mergedAt: 'x',
      mergeCommitSha: 'm',
      headSha: 'c0ffee',
    };
    audit.approval = {
      ...approvalRecord('pull-request', 'dave', 4),
      approvers: [approver('bob', 2, '2026-12-01T10:00:00Z')],
      permissions: [{ login: 'bob', id: 2, permission: 'write', role: 'maintain' }],
      pullRequest,
      approvedAt: '2026-12-01T10:00:00Z',
    };
    audit.request = { file: 'mfa-resets/a.yml', reason: 'lost phone', ticket: 'OPS-1' };
    core.summary.emptyBuffer();

    const html = composeAuditSection(core.summary, audit).stringify();

    expect(html).toContain('<a href="https://github.com/octo/app/pull/7">#7</a> by @dave (id 4)');
    expect(html).toContain('<th>Counted approvers</th><td>@bob (id 2), maintain at 2026-12-01T10:00:00Z</td>');
    expect(html).toContain('<th>Reviewer permissions</th><td>@bob (id 2): write (maintain)</td>');
    expect(html).toContain('devices enabled later are not touched');
    expect(html).toContain('<th>Reason</th><td>lost phone</td>');
    expect(html).toContain('<code>c0ffee</code>');
    expect(approvalOutputs(audit)).toEqual({
      approvals: JSON.stringify([
        {
          reviewer: 'bob',
          reviewerId: 2,
          permission: 'write',
          submittedAt: '2026-12-01T10:00:00Z',
          state: 'approved',
          pullRequest: 7,
          author: 'dave',
          commit: 'c0ffee',
        },
      ]),
      'pull-request': '7',
    });
  });
});
