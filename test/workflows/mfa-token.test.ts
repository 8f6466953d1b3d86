// Every shipped workflow and every YAML block in README.md and docs/*.md hands the action its MFA
// code only as a secret; the rule itself is checked on workflows that break it.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseSource, yamlSources } from '../../scripts/workflow-files.ts';
import { mfaTokenViolations } from './mfa-token.ts';

interface Workflow {
  on: { workflow_call?: { inputs?: Record<string, unknown>; secrets?: Record<string, unknown> } };
  jobs: Record<
    string,
    { uses?: string; with?: Record<string, unknown>; secrets?: Record<string, unknown>; steps?: { uses?: string; with?: Record<string, unknown> }[] }
  >;
}

/** Where the reusable workflows check the action out (at their own commit) and run it from. */
const ACTION_CHECKOUT = './.deactivate-iam-mfa';

const job = (steps: string): string => `on: workflow_dispatch\njobs:\n  reset:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`;

const rows: { name: string; yaml: string; expected: string[] }[] = [
  {
    name: 'with: straight from the dispatch input',
    yaml: job('      - uses: mfa-actions/deactivate-iam-mfa@v1\n        with:\n          mfa-token: ${{ inputs.mfa-token }}\n'),
    expected: ['jobs.reset.steps[0].with.mfa-token', 'jobs.reset.steps[0].with.mfa-token'],
  },
  {
    name: 'with: from github.event.inputs, bracket form',
    yaml: job("      - uses: mfa-actions/deactivate-iam-mfa@v1\n        with:\n          mfa-token: ${{ github.event.inputs['mfa-token'] }}\n"),
    expected: ['jobs.reset.steps[0].with.mfa-token', 'jobs.reset.steps[0].with.mfa-token'],
  },
  {
    name: 'env: of a step',
    yaml: job('      - run: ./reset.sh\n        env:\n          CODE: ${{ github.event.inputs.mfa-token }}\n'),
    expected: ['jobs.reset.steps[0] env.CODE'],
  },
  {
    name: 'env: of the job, printed in every step',
    yaml: 'on: workflow_dispatch\njobs:\n  reset:\n    runs-on: ubuntu-latest\n    env:\n      CODE: ${{ inputs.mfa-token }}\n    steps:\n      - run: ./reset.sh\n',
    expected: ['jobs.reset.steps[0] (inherited) env.CODE'],
  },
  {
    name: 'run: script',
    yaml: job('      - run: echo "::add-mask::${{ inputs.mfa-token }}"\n'),
    expected: ['jobs.reset.steps[0].run'],
  },
  {
    name: 'a step output as the code (the README snippet this project used to show)',
    yaml: job(
      [
        '      - id: code',
        '        run: |',
        `          code=$(jq -r '.inputs["mfa-token"] // ""' "$GITHUB_EVENT_PATH")`,
        '          echo "::add-mask::$code"',
        '          echo "mfa-token=$code" >> "$GITHUB_OUTPUT"',
        '      - uses: mfa-actions/deactivate-iam-mfa@v1',
        '        with:',
        '          mfa-token: ${{ steps.code.outputs.mfa-token }}',
        '',
      ].join('\n'),
    ),
    expected: ['jobs.reset.steps[0].run', 'jobs.reset.steps[1].with.mfa-token'],
  },
  {
    name: 'a reusable workflow called with the code as an input (listed in its set-up log)',
    yaml: 'on: workflow_dispatch\njobs:\n  reset:\n    uses: ./.github/workflows/mfa-reset.yml\n    with:\n      mfa-token: ${{ inputs.mfa-token }}\n',
    expected: ['jobs.reset.with.mfa-token'],
  },
  {
    name: 'allowed: the dispatch input mapped under secrets: of a calling job',
    yaml: 'on: workflow_dispatch\njobs:\n  reset:\n    uses: ./.github/workflows/mfa-reset.yml\n    secrets:\n      mfa-token: ${{ inputs.mfa-token }}\n',
    expected: [],
  },
  {
    name: 'allowed: the action given a secret',
    yaml: job('      - uses: mfa-actions/deactivate-iam-mfa@v1\n        with:\n          mfa-token: ${{ secrets.mfa-token }}\n'),
    expected: [],
  },
  {
    name: 'a bare list of steps, as a README fragment',
    yaml: '- uses: mfa-actions/deactivate-iam-mfa@v1\n  with:\n    mfa-token: ${{ inputs.mfa-token }}\n',
    expected: ['steps[0].with.mfa-token', 'steps[0].with.mfa-token'],
  },
];

describe('the MFA-code rule', () => {
  for (const row of rows) {
    it(row.name, () => {
      expect(mfaTokenViolations(parse(row.yaml)).map((violation) => violation.where)).toEqual(row.expected);
    });
  }
});

describe('shipped workflows and documentation', () => {
  const sources = yamlSources().map(parseSource);

  it('finds the workflows and the README blocks it must check', () => {
    const files = new Set(sources.map((source) => source.file));
    for (const file of [
      '.github/workflows/mfa-reset.yml',
      '.github/workflows/mfa-reset-dispatch.yml',
      '.github/workflows/mfa-reset-accounts.yml',
      'README.md',
    ]) {
      expect(files).toContain(file);
    }
    // The README shows the action in use: its blocks must be among those checked.
    expect(sources.filter((source) => source.file === 'README.md' && /mfa-actions\/deactivate-iam-mfa/.test(source.text)).length).toBeGreaterThan(0);
  });

  /**
   * The one place a code is not a secret: the live test computes it in the job from a throwaway
   * device's seed (never from an input), in a step that masks it before writing it out.
   */
  const LIVE = '.github/workflows/live-aws.yml';

  for (const source of yamlSources().map(parseSource)) {
    if (source.file === LIVE) continue;
    it(`${source.file}:${source.firstLine} passes the MFA code only as a secret`, () => {
      expect(mfaTokenViolations(source.data)).toEqual([]);
    });
  }

  it(`${LIVE}: the code comes only from the step that computes and masks it`, () => {
    const live = sources.find((source) => source.file === LIVE)?.data as { jobs: Record<string, { steps: { id?: string; run?: string }[] }> };
    const steps = live.jobs['live']?.steps ?? [];
    const code = steps.findIndex((step) => step.id === 'code');
    expect(steps[code]?.run).toBe('.github/live-aws/fixture.sh code');
    const violations = mfaTokenViolations(live);
    expect(violations.map((violation) => violation.where)).toEqual([`jobs.live.steps[${code + 1}].with.mfa-token`]);
    expect(violations[0]?.problem).toContain('${{ steps.code.outputs.mfa-token }}');
  });

  it('the self-service dispatch maps the code under secrets:, and the self-service reusable workflow hands the action that secret', () => {
    const read = (file: string): Workflow => sources.find((source) => source.file === file)?.data as Workflow;
    const dispatch = read('.github/workflows/mfa-self-service-dispatch.yml');
    const reusable = read('.github/workflows/mfa-self-service.yml');

    expect(dispatch.jobs['reset']?.uses).toBe('./.github/workflows/mfa-self-service.yml');
    expect(dispatch.jobs['reset']?.secrets?.['mfa-token']).toBe('${{ inputs.mfa-token }}');
    expect(dispatch.jobs['reset']?.with ?? {}).not.toHaveProperty('mfa-token');

    const call = reusable.on.workflow_call;
    expect(call?.secrets).toHaveProperty('mfa-token');
    expect(call?.inputs).not.toHaveProperty('mfa-token');
    const actionStep = reusable.jobs['reset']?.steps?.find((step) => step.uses === ACTION_CHECKOUT);
    expect(actionStep?.with?.['mfa-token']).toBe('${{ secrets.mfa-token }}');
    // The user name is masked the same way: a secret, never a workflow_call input.
    expect(call?.inputs).not.toHaveProperty('user-name');
    expect(actionStep?.with?.['user-name']).toBe('${{ secrets.IAM_USER_NAME }}');
  });

  it('the admin workflows take no code: a role can never step up', () => {
    const read = (file: string): Workflow => sources.find((source) => source.file === file)?.data as Workflow;
    const reusable = read('.github/workflows/mfa-reset.yml');
    expect(reusable.on.workflow_call?.secrets).not.toHaveProperty('mfa-token');
    const actionStep = reusable.jobs['reset']?.steps?.find((step) => step.uses === ACTION_CHECKOUT);
    expect(actionStep?.with).toHaveProperty('user-name');
    expect(actionStep?.with).not.toHaveProperty('mfa-token');
    const dispatch = read('.github/workflows/mfa-reset-dispatch.yml') as Workflow & { on: { workflow_dispatch?: { inputs?: Record<string, unknown> } } };
    expect(dispatch.on.workflow_dispatch?.inputs).not.toHaveProperty('mfa-token');
    expect(dispatch.jobs['reset']?.secrets).not.toHaveProperty('mfa-token');
  });
});
