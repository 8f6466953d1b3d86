// Run records for the report's unit tests: what run() starts from, before any step has returned.
import { newReport, type RunContext, type RunReport } from '../../src/record.ts';

export const RUN: RunContext = {
  actor: 'octocat',
  triggeringActor: 'octocat',
  runUrl: 'https://github.com/o/r/actions/runs/7/attempts/1',
  workflow: 'Reset MFA',
  eventName: 'workflow_dispatch',
};

/** The record of a run that stopped before reading its inputs. */
export function emptyReport(overrides: Partial<RunReport> = {}): RunReport {
  return { ...newReport(RUN, '1.0.0'), ...overrides };
}
