// The summary notes the retries: a note under the devices names each temporary fault a retry
// absorbed, and the audit trail lists every call that took more than one attempt, with what each met.
import * as core from '@actions/core';
import { describe, expect, it } from 'vitest';
import type { RetriedCall, RunReport } from '../../src/record.ts';
import { summaryNotes } from '../../src/report/outcome.ts';
import { composeSummary } from '../../src/report/summary.ts';

const PHONE = 'arn:aws:iam::123456789012:mfa/alice-phone';

function report(retried: RetriedCall[], error?: string): RunReport {
  return {
    masked: ['alice'],
    run: { actor: 'octocat', triggeringActor: 'octocat', runUrl: undefined, workflow: 'mfa-reset', eventName: 'workflow_dispatch' },
    version: '1.0.0',
    userName: 'alice',
    dryRun: false,
    request: undefined,
    sessionName: undefined,
    approval: undefined,
    acting: { source: 'oidc-role', arn: 'arn:aws:sts::123456789012:assumed-role/gha-mfa-admin/gh-1' },
    user: undefined,
    userTag: undefined,
    devices: [{ device: { serial: PHONE, kind: 'virtual', enabledAt: undefined }, deactivation: 'deactivated', deletion: 'deleted', problem: undefined }],
    stepUp: undefined,
    changes: [
      { operation: 'DeactivateMFADevice', serial: PHONE, requestId: 'req-2', outcome: 'ok', attempts: 2 },
      { operation: 'DeleteVirtualMFADevice', serial: PHONE, requestId: 'req-5', outcome: 'ok', attempts: 3 },
    ],
    retried,
    error,
  };
}

const ABSORBED: RetriedCall[] = [
  { call: 'iam:DeactivateMFADevice', serial: PHONE, attempts: ['EntityTemporarilyUnmodifiable', 'ok'], waitedMs: 812 },
  { call: 'iam:DeleteVirtualMFADevice', serial: PHONE, attempts: ['DeleteConflict', 'DeleteConflict', 'ok'], waitedMs: 2400 },
];

describe('retries in the summary', () => {
  it('a note names each absorbed fault and the attempt that succeeded', () => {
    expect(summaryNotes(report(ABSORBED))).toContain(
      'AWS answered 2 calls with a temporary fault that a retry absorbed: iam:DeactivateMFADevice (EntityTemporarilyUnmodifiable; ok on attempt 2); ' +
        'iam:DeleteVirtualMFADevice (DeleteConflict, DeleteConflict; ok on attempt 3). See the audit trail.',
    );
  });

  it('the audit trail lists each retried call with every attempt and the backoff, and the changes with their attempts', () => {
    const html = composeSummary(core.summary.emptyBuffer(), report(ABSORBED)).stringify();
    expect(html).toContain('<th>AWS call retried</th><th>Device</th><th>Each attempt</th><th>Backoff</th>');
    expect(html).toContain(
      `<td>iam:DeactivateMFADevice</td><td><code>arn:aws:iam::123456789012:mfa/***-phone</code></td><td>EntityTemporarilyUnmodifiable, ok</td><td>0.8 s</td>`,
    );
    expect(html).toContain('<td>DeleteConflict, DeleteConflict, ok</td><td>2.4 s</td>');
    expect(html).toContain('<td>ok (2 attempts)</td>');
    expect(html).toContain('<td>ok (3 attempts)</td>');
  });

  it('a call whose retries did not absorb the fault is in the audit trail, not in the note', () => {
    const failed: RetriedCall[] = [{ call: 'iam:DeactivateMFADevice', serial: PHONE, attempts: Array(5).fill('ConcurrentModification'), waitedMs: 9000 }];
    const html = composeSummary(core.summary.emptyBuffer(), report(failed, 'iam:DeactivateMFADevice failed after 5 attempts')).stringify();
    expect(html).toContain(
      '<td>ConcurrentModification, ConcurrentModification, ConcurrentModification, ConcurrentModification, ConcurrentModification</td><td>9.0 s</td>',
    );
    expect(html).not.toContain('a retry absorbed');
  });

  it('no retries: no note and no table', () => {
    const html = composeSummary(core.summary.emptyBuffer(), report([])).stringify();
    expect(html).not.toContain('AWS call retried');
    expect(html).not.toContain('a retry absorbed');
  });
});
