// The Actions runner boundary, and the one owner of what the action tells it: inputs in; masks, log
// lines, outputs and the job summary out. Every log line is escaped (src/text.ts); every masked
// value is remembered, so the summary the action writes itself is redacted like the runner's log.
import * as core from '@actions/core';
import { escapeLog } from '../text.ts';
import { type Env, runFacts, type RunFacts } from './context.ts';

export type Summary = typeof core.summary;
/** One row of a summary table: cells, or plain strings. */
export type SummaryTableRow = Parameters<Summary['addTable']>[0][number];

export interface Runner {
  /** The step's input as the runner passes it, untrimmed: ` 900` is refused, not read as 900. */
  input(name: string): string;
  readonly run: RunFacts;
  /** Masks a value in every later log line, and in the summary. */
  mask(secret: string): void;
  masked(): readonly string[];
  info(message: string): void;
  warning(message: string): void;
  /** The run's failure: an `::error::` annotation and exit code 1. */
  fail(message: string): void;
  setOutput(name: string, value: string): void;
  /** Builds the job summary with `compose` and appends it to the step's summary file. */
  writeSummary(compose: (summary: Summary) => Summary): Promise<void>;
  /** A GitHub OIDC token for `audience` (needs `permissions: id-token: write`). */
  idToken(audience: string): Promise<string>;
}

/** The real runner: @actions/core over this process's environment. */
export function actionsRunner(env: Env = process.env): Runner {
  const masked: string[] = [];
  return {
    input: (name) => core.getInput(name, { trimWhitespace: false }),
    run: runFacts(env),
    mask(secret) {
      if (masked.includes(secret)) return;
      core.setSecret(secret);
      masked.push(secret);
    },
    masked: () => masked,
    info: (message) => core.info(escapeLog(message)),
    warning: (message) => core.warning(escapeLog(message)),
    fail: (message) => core.setFailed(escapeLog(message)),
    setOutput: (name, value) => core.setOutput(name, value),
    writeSummary: async (compose) => {
      await compose(core.summary.emptyBuffer()).write();
    },
    idToken: (audience) => core.getIDToken(audience),
  };
}
