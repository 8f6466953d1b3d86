// The self-service path against the clock: a code lasts about 30 seconds and is good once, so in
// every shipped workflow (and README snippet) that takes one, the code must reach the action in the
// first job that runs: no job before it (`needs:`), no other job in the called workflow to wait
// for. And the user's keys come from an environment limited to the default branch, never from
// repository secrets that any pushed workflow could read.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseSource, yamlSources } from '../../scripts/workflow-files.ts';

interface Step {
  uses?: string;
  with?: Record<string, unknown>;
}
interface Job {
  uses?: string;
  needs?: unknown;
  environment?: unknown;
  with?: Record<string, unknown>;
  secrets?: Record<string, unknown> | string;
  steps?: Step[];
}
interface Workflow {
  on?: { workflow_call?: { secrets?: Record<string, unknown> } };
  jobs?: Record<string, Job>;
}

const ACTION = 'mfa-actions/deactivate-iam-mfa@';
/** The action as a step names it: published, or checked out by the reusable workflows at their own commit. */
const isAction = (uses: unknown): boolean => String(uses).startsWith(ACTION) || uses === './.deactivate-iam-mfa' || uses === './';
const sources = yamlSources().map(parseSource);
const workflows = new Map(sources.filter((source) => source.kind === 'workflow').map((source) => [source.file, source.data as Workflow]));

/** Where a code can enter a job: the action's mfa-token, or a called workflow's mfa-token secret. */
function takesCode(job: Job): boolean {
  if (job.uses !== undefined) return typeof job.secrets === 'object' && 'mfa-token' in job.secrets;
  return (job.steps ?? []).some((step) => isAction(step.uses) && step.with?.['mfa-token'] !== undefined);
}

/** Problems with how `workflow` gets a code to GetSessionToken: jobs before it, or other jobs beside it in a called workflow. */
function codeRaceProblems(workflow: Workflow, file: string, called: (uses: string) => Workflow | undefined = () => undefined): string[] {
  const problems: string[] = [];
  const jobs = Object.entries(workflow.jobs ?? {});
  for (const [id, job] of jobs.filter(([, job]) => takesCode(job))) {
    if (job.needs !== undefined) problems.push(`${file}: job ${id} takes the code but waits for ${JSON.stringify(job.needs)} first`);
    if (job.uses !== undefined) {
      const target = called(job.uses);
      if (!target) problems.push(`${file}: job ${id} calls ${job.uses}, which is not shipped here`);
      else problems.push(...codeRaceProblems(target, job.uses, called));
    }
  }
  // A called workflow that takes a code: the job that uses it must be its only job.
  if (workflow.on?.workflow_call?.secrets && 'mfa-token' in workflow.on.workflow_call.secrets && jobs.length !== 1) {
    problems.push(`${file}: takes the code, but has ${jobs.length} jobs (${jobs.map(([id]) => id).join(', ')}): the code would wait for a runner per job`);
  }
  return problems;
}

const local = (uses: string): Workflow | undefined => (uses.startsWith('./') ? workflows.get(uses.slice(2)) : undefined);

describe('a code reaches GetSessionToken in the first job that runs', () => {
  it('finds the self-service workflows', () => {
    expect([...workflows.keys()]).toEqual(
      expect.arrayContaining(['.github/workflows/mfa-self-service.yml', '.github/workflows/mfa-self-service-dispatch.yml']),
    );
  });

  for (const [file, workflow] of workflows) {
    it(`${file}`, () => expect(codeRaceProblems(workflow, file, local)).toEqual([]));
  }

  for (const source of sources.filter((s) => s.file === 'README.md')) {
    it(`README.md:${source.firstLine}`, () => {
      // README snippets call the published workflows: read them from this repository.
      const published = (uses: string): Workflow | undefined => {
        const match = /^mfa-actions\/deactivate-iam-mfa\/(\.github\/workflows\/[\w.-]+)@/.exec(uses);
        return match ? workflows.get(match[1] ?? '') : local(uses);
      };
      expect(codeRaceProblems(source.data as Workflow, 'README.md', published)).toEqual([]);
    });
  }

  it.each([
    {
      name: 'a called workflow with a job before the one that uses the code (the old mfa-reset.yml)',
      yaml: `on: {workflow_call: {secrets: {mfa-token: {required: false}}}}\njobs:\n  key: {runs-on: x, steps: [{run: echo}]}\n  reset:\n    needs: key\n    runs-on: x\n    steps: [{uses: '${ACTION}v1', with: {mfa-token: '\${{ secrets.mfa-token }}'}}]\n`,
      expected: [/job reset takes the code but waits for "key"/, /has 2 jobs \(key, reset\)/],
    },
    {
      name: 'a caller whose calling job needs another job',
      yaml: `on: workflow_dispatch\njobs:\n  first: {runs-on: x, steps: [{run: echo}]}\n  reset:\n    needs: [first]\n    uses: ./x.yml\n    secrets: {mfa-token: '\${{ inputs.mfa-token }}'}\n`,
      expected: [/job reset takes the code but waits for \["first"\]/, /calls \.\/x\.yml, which is not shipped here/],
    },
  ])('the check finds $name', ({ yaml, expected }) => {
    const problems = codeRaceProblems(parse(yaml) as Workflow, 'test.yml');
    expect(problems).toHaveLength(expected.length);
    expected.forEach((pattern, i) => expect(problems[i]).toMatch(pattern));
  });
});

describe("a user's keys come from an environment, never from repository secrets", () => {
  /** Jobs that hand the action an IAM user's keys, and whether they run in an environment. */
  function keyedJobs(workflow: Workflow): { id: string; environment: unknown }[] {
    return Object.entries(workflow.jobs ?? {})
      .filter(([, job]) => (job.steps ?? []).some((step) => isAction(step.uses) && step.with?.['aws-access-key-id'] !== undefined))
      .map(([id, job]) => ({ id, environment: job.environment }));
  }

  it('the self-service workflow runs in the environment its caller names, and the caller names one per person', () => {
    const reusable = workflows.get('.github/workflows/mfa-self-service.yml')!;
    expect(keyedJobs(reusable)).toEqual([{ id: 'reset', environment: '${{ inputs.environment }}' }]);
    const dispatch = workflows.get('.github/workflows/mfa-self-service-dispatch.yml')!;
    expect(dispatch.jobs?.['reset']?.with?.['environment']).toBe('mfa-self-service-${{ github.actor }}');
    // Passed by name, so that the environment's secret of that name is what the job receives.
    for (const name of ['IAM_USER_NAME', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) {
      expect((dispatch.jobs?.['reset']?.secrets as Record<string, unknown>)[name]).toBe(`\${{ secrets.${name} }}`);
    }
  });

  for (const [file, workflow] of workflows) {
    it(`${file}: every job that hands the action user keys runs in an environment`, () => {
      for (const job of keyedJobs(workflow)) expect(job.environment, `${file} job ${job.id}`).toBeTruthy();
    });
  }
});

describe('every call of a shipped reusable workflow passes only what it declares, and all it requires', () => {
  interface Callable {
    on?: { workflow_call?: { inputs?: Record<string, { required?: boolean }>; secrets?: Record<string, { required?: boolean }> } };
  }
  function callProblems(caller: Workflow, file: string, resolve: (uses: string) => Workflow | undefined): string[] {
    const problems: string[] = [];
    for (const [id, job] of Object.entries(caller.jobs ?? {})) {
      if (job.uses === undefined) continue;
      const called = (resolve(job.uses) as Callable | undefined)?.on?.workflow_call;
      if (!called) continue;
      const given = { inputs: Object.keys(job.with ?? {}), secrets: job.secrets === 'inherit' ? undefined : Object.keys(job.secrets ?? {}) };
      for (const kind of ['inputs', 'secrets'] as const) {
        const declared = called[kind] ?? {};
        for (const name of given[kind] ?? []) if (!(name in declared)) problems.push(`${file} job ${id}: ${job.uses} declares no ${kind.slice(0, -1)} ${name}`);
        for (const [name, spec] of Object.entries(declared)) {
          if (spec.required && given[kind] !== undefined && !given[kind].includes(name)) problems.push(`${file} job ${id}: ${job.uses} requires ${name}`);
        }
      }
    }
    return problems;
  }
  const published = (uses: string): Workflow | undefined => {
    const match = /^mfa-actions\/deactivate-iam-mfa\/(\.github\/workflows\/[\w.-]+)@/.exec(uses);
    return match ? workflows.get(match[1] ?? '') : local(uses);
  };

  for (const source of sources) {
    it(`${source.file}:${source.firstLine}`, () => expect(callProblems(source.data as Workflow, source.file, published)).toEqual([]));
  }

  it('the check finds a secret the called workflow does not declare, and a missing required one', () => {
    const caller = parse(`jobs:\n  reset:\n    uses: ./.github/workflows/mfa-reset.yml\n    secrets: {mfa-token: x}\n`) as Workflow;
    expect(callProblems(caller, 'x.yml', local)).toEqual([
      'x.yml job reset: ./.github/workflows/mfa-reset.yml declares no secret mfa-token',
      'x.yml job reset: ./.github/workflows/mfa-reset.yml requires user-name',
    ]);
  });
});
