// The workflow lint (`npm run lint`'s second half) finds real problems, and finds none in what ships.
import { describe, expect, it } from 'vitest';
import { actionlintFindings, lintWorkflows, shellcheckFindings } from '../../scripts/lint-workflows.ts';
import { parseSource, runScriptsOf } from '../../scripts/workflow-files.ts';

const source = (text: string) => parseSource({ file: 'README.md', firstLine: 40, text, kind: 'markdown-block' });

describe('workflow lint', () => {
  it('actionlint reports an expression a script must not interpolate, on the line of the file it is in', async () => {
    const findings = await actionlintFindings(
      source('on: issues\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ github.event.issue.title }}"\n'),
    );
    expect(findings.map((finding) => [finding.line, finding.message.includes('potentially untrusted')])).toEqual([[45, true]]);
  });

  it('shellcheck reads each run: script, with expressions replaced, and reports lines of the file', () => {
    const parsed = source('- run: |\n    echo ok\n    cd ${{ github.workspace }}\n- run: echo "$X"\n  shell: pwsh\n');
    const [bash, pwsh] = runScriptsOf(parsed);
    expect(bash && shellcheckFindings('README.md', bash).map((finding) => [finding.line, finding.message.slice(0, 6)])).toEqual([[42, 'SC2164']]);
    expect(pwsh && shellcheckFindings('README.md', pwsh)).toEqual([]);
  });

  it("leaves out only the finding GitHub's documentation contradicts (github.job_workflow_sha), not its neighbours", async () => {
    const findings = await actionlintFindings(
      source(
        'on: workflow_call\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "$A $B"\n        env:\n          A: ${{ github.job_workflow_sha }}\n          B: ${{ github.job_workflow_shaa }}\n',
      ),
    );
    expect(findings.map((finding) => finding.message.replace(/ in object type.*/, ''))).toEqual(['property "job_workflow_shaa" is not defined']);
  });

  it('finds nothing in the shipped workflows and documentation', async () => {
    const { findings, workflows, scripts } = await lintWorkflows();
    expect(findings).toEqual([]);
    expect(workflows).toBeGreaterThanOrEqual(5);
    expect(scripts).toBeGreaterThan(0);
  });
});
