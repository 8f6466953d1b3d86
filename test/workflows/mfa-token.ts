// How a workflow may hand the action its MFA code. The runner prints a step's `with:` and `env:`
// values and its `run:` script before the step runs, and a called workflow's job lists its inputs
// in its set-up log; so the code may travel only as a secret (the `secrets` context, masked from
// the start of the job) and may be mapped from a workflow_dispatch input only under a calling
// job's `secrets:`. And under workflow_call, `github.event` is the caller's event, so reading the
// code from $GITHUB_EVENT_PATH is no way to get it either.
import { expressionsIn, isRecord, stepsOf } from '../../scripts/workflow-files.ts';

export interface Violation {
  where: string;
  problem: string;
}

// inputs.mfa-token, inputs['mfa-token'], github.event.inputs.mfa-token, github.event.inputs["mfa-token"]
const FROM_INPUTS = /\b(?:github\s*\.\s*event\s*\.\s*)?inputs\s*(?:\.\s*mfa-token\b|\[\s*['"]mfa-token['"]\s*\])/;
const ONLY_A_SECRET = /^secrets\s*(?:\.\s*[\w-]+|\[\s*['"][\w-]+['"]\s*\])$/;
const READS_EVENT_FILE = /GITHUB_EVENT_PATH|github\.event_path/;

export function mfaTokenViolations(workflow: unknown): Violation[] {
  const violations: Violation[] = [];
  const fromInputs = (value: unknown): boolean => typeof value === 'string' && expressionsIn(value).some((expression) => FROM_INPUTS.test(expression));

  for (const ref of stepsOf(workflow)) {
    const { step, where } = ref;
    const withValues = isRecord(step['with']) ? step['with'] : {};
    for (const [name, value] of Object.entries(withValues)) {
      if (fromInputs(value))
        violations.push({ where: `${where}.with.${name}`, problem: 'takes the MFA code from inputs: printed before anything can mask it' });
    }
    if (!ref.callsWorkflow && 'mfa-token' in withValues) {
      const value = withValues['mfa-token'];
      const [, expression = ''] = typeof value === 'string' ? (/^\$\{\{\s*([\s\S]*?)\s*\}\}$/.exec(value.trim()) ?? []) : [];
      if (!ONLY_A_SECRET.test(expression)) {
        violations.push({ where: `${where}.with.mfa-token`, problem: `is ${JSON.stringify(value)}: pass the code as \${{ secrets.<name> }} only` });
      }
    }
    for (const [level, env] of [['', step['env']], ...ref.inheritedEnv.map((inherited) => ['(inherited) ', inherited] as const)] as const) {
      if (!isRecord(env)) continue;
      for (const [name, value] of Object.entries(env)) {
        if (fromInputs(value))
          violations.push({ where: `${where} ${level}env.${name}`, problem: 'takes the MFA code from inputs: printed in the step header' });
      }
    }
    const run = step['run'];
    if (typeof run === 'string') {
      if (fromInputs(run)) violations.push({ where: `${where}.run`, problem: 'puts the MFA code from inputs into the script, which the log prints' });
      if (READS_EVENT_FILE.test(run) && /mfa-token/.test(run)) {
        violations.push({ where: `${where}.run`, problem: "reads the MFA code from the event file: under workflow_call that is the caller's event" });
      }
    }
  }
  return violations;
}
