// Run records for the report's unit tests: what run() starts from, before any step has returned.
import type { RunContext, RunReport } from '../../src/record.ts';

export const RUN: RunContext = {
  actor: 'octocat',
  triggeringActor: 'octocat',
  runUrl: 'https://github.com/o/r/actions/runs/7/attempts/1',
  workflow: 'Reset MFA',
  eventName: 'workflow_dispatch',
};

/** The record of a run that stopped before reading its inputs. */
export function emptyReport(overrides: Partial<RunReport> = {}): RunReport {
  return {
    masked: [],
    run: RUN,
    version: '1.0.0',
    userName: '',
    dryRun: false,
    request: undefined,
    sessionName: undefined,
    approval: undefined,
    acting: undefined,
    user: undefined,
    userTag: undefined,
    devices: [],
    stepUp: undefined,
    changes: [],
    retried: [],
    error: undefined,
    ...overrides,
  };
}
