// Every piece of GitHub Actions YAML the project ships or shows: the workflow files, workflows under
// examples/, and the ```yaml blocks of README.md and docs/*.md. Shared by `npm run lint`
// (actionlint, shellcheck) and the tests that check how workflows handle the MFA code.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import MarkdownIt from 'markdown-it';
import { type Document, isScalar, parseDocument, Scalar } from 'yaml';

export interface YamlSource {
  /** Path relative to the repository root. */
  file: string;
  /** The file's line (1-based) where this YAML text starts: 1 for a file, the fence's next line for a block. */
  firstLine: number;
  text: string;
  kind: 'workflow' | 'markdown-block';
}

export interface ParsedSource extends YamlSource {
  doc: Document;
  /** Parsed to plain data. */
  data: unknown;
}

/** One step-like place where values are printed before anything runs: a step, or a job calling a reusable workflow. */
export interface StepRef {
  /** `jobs.reset.steps[0]` and the like: where to look. */
  where: string;
  /** The YAML path of the step (or calling job) inside the document. */
  path: (string | number)[];
  step: Record<string, unknown>;
  /** The job's and the workflow's `env:`, which the runner also prints in each step's log group. */
  inheritedEnv: Record<string, unknown>[];
  /** The shell a `run:` uses: step, job or workflow `defaults.run.shell`, else bash. */
  shell: string;
  /** True for a job that calls a reusable workflow (`jobs.<id>.uses`): it has `with:` and `secrets:`, no steps. */
  callsWorkflow: boolean;
}

export function repositoryRoot(): string {
  return join(import.meta.dirname, '..');
}

/** The files and Markdown blocks, read from the repository. */
export function yamlSources(root = repositoryRoot()): YamlSource[] {
  const sources: YamlSource[] = [];
  const workflowDir = join(root, '.github/workflows');
  for (const file of listFiles(workflowDir, /\.ya?ml$/)) {
    sources.push({ file: relative(root, file), firstLine: 1, text: readFileSync(file, 'utf8'), kind: 'workflow' });
  }
  for (const file of listFiles(join(root, 'examples'), /\.ya?ml$/, true)) {
    const text = readFileSync(file, 'utf8');
    // Only workflows: examples/ also holds CloudFormation templates, which are YAML too.
    if (looksLikeWorkflow(parseDocument(text, { logLevel: 'silent' }).toJS({ maxAliasCount: -1 }))) {
      sources.push({ file: relative(root, file), firstLine: 1, text, kind: 'workflow' });
    }
  }
  const markdown = [join(root, 'README.md'), ...listFiles(join(root, 'docs'), /\.md$/)].filter((file) => existsSync(file));
  for (const file of markdown) sources.push(...markdownYamlBlocks(relative(root, file), readFileSync(file, 'utf8')));
  return sources;
}

export function markdownYamlBlocks(file: string, markdown: string): YamlSource[] {
  const fences = new MarkdownIt().parse(markdown, {}).filter((token) => token.type === 'fence' && /^(yaml|yml)\b/.test(token.info.trim()));
  return fences.map((token) => ({ file, firstLine: (token.map?.[0] ?? 0) + 2, text: token.content, kind: 'markdown-block' as const }));
}

/** The ```sh and ```bash blocks of README.md and docs/*.md: commands a reader pastes into bash. */
export function shellBlocks(root = repositoryRoot()): { file: string; line: number; script: string }[] {
  const markdown = [join(root, 'README.md'), join(root, 'CONTRIBUTING.md'), ...listFiles(join(root, 'docs'), /\.md$/)].filter((file) => existsSync(file));
  return markdown.flatMap((file) =>
    new MarkdownIt()
      .parse(readFileSync(file, 'utf8'), {})
      .filter((token) => token.type === 'fence' && /^(sh|bash|shell)\b/.test(token.info.trim()))
      .map((token) => ({ file: relative(root, file), line: (token.map?.[0] ?? 0) + 2, script: token.content })),
  );
}

/** Shell scripts the workflows run from files (every .sh file under .github), shellchecked like `run:` blocks. */
export function shellFiles(root = repositoryRoot()): { file: string; script: string }[] {
  return listFiles(join(root, '.github'), /\.sh$/, true).map((file) => ({ file: relative(root, file), script: readFileSync(file, 'utf8') }));
}

export function parseSource(source: YamlSource): ParsedSource {
  const doc = parseDocument(source.text, { logLevel: 'silent' });
  if (doc.errors.length > 0) throw new Error(`${source.file}:${source.firstLine}: not valid YAML: ${doc.errors[0]?.message}`);
  return { ...source, doc, data: doc.toJS() };
}

export function looksLikeWorkflow(data: unknown): boolean {
  return isRecord(data) && 'jobs' in data && 'on' in data;
}

/**
 * Every step, and every job that calls a reusable workflow, in a workflow or a fragment of one (a
 * job, a `steps:` list, or a bare list of steps, as README snippets sometimes are).
 */
export function stepsOf(data: unknown): StepRef[] {
  const refs: StepRef[] = [];
  const workflowEnv = isRecord(data) && isRecord(data['env']) ? [data['env']] : [];
  const workflowShell = shellOf(isRecord(data) ? data['defaults'] : undefined) ?? 'bash';
  const fromSteps = (steps: unknown, path: (string | number)[], where: string, env: Record<string, unknown>[], shell: string): void => {
    if (!Array.isArray(steps)) return;
    steps.forEach((step, i) => {
      if (!isRecord(step)) return;
      const stepShell = typeof step['shell'] === 'string' ? step['shell'] : shell;
      refs.push({ where: `${where}[${i}]`, path: [...path, i], step, inheritedEnv: env, shell: stepShell, callsWorkflow: false });
    });
  };
  const fromJob = (job: Record<string, unknown>, path: (string | number)[], where: string): void => {
    if (typeof job['uses'] === 'string') {
      refs.push({ where, path, step: job, inheritedEnv: workflowEnv, shell: workflowShell, callsWorkflow: true });
      return;
    }
    const env = isRecord(job['env']) ? [...workflowEnv, job['env']] : workflowEnv;
    fromSteps(job['steps'], [...path, 'steps'], `${where}.steps`, env, shellOf(job['defaults']) ?? workflowShell);
  };

  if (Array.isArray(data)) fromSteps(data, [], 'steps', [], 'bash');
  else if (isRecord(data) && isRecord(data['jobs'])) {
    for (const [id, job] of Object.entries(data['jobs'])) if (isRecord(job)) fromJob(job, ['jobs', id], `jobs.${id}`);
  } else if (isRecord(data)) fromJob(data, [], 'job');
  return refs;
}

export interface RunScript {
  where: string;
  /** The file's line (1-based) of the script's first line. */
  line: number;
  script: string;
  shell: string;
}

/** The `run:` scripts of a parsed source, with the line each starts on in its file. */
export function runScriptsOf(source: ParsedSource): RunScript[] {
  const lineStarts = [0, ...[...source.text.matchAll(/\n/g)].map((match) => (match.index ?? 0) + 1)];
  const lineOf = (offset: number): number => lineStarts.findLastIndex((start) => start <= offset);
  const scripts: RunScript[] = [];
  for (const ref of stepsOf(source.data)) {
    if (typeof ref.step['run'] !== 'string') continue;
    const node = source.doc.getIn([...ref.path, 'run'], true);
    let line = source.firstLine;
    if (isScalar(node) && node.range) {
      const block = node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED;
      line = source.firstLine + lineOf(node.range[0]) + (block ? 1 : 0);
    }
    scripts.push({ where: ref.where, line, script: ref.step['run'], shell: ref.shell });
  }
  return scripts;
}

/** Every `${{ … }}` expression in a string. */
export function expressionsIn(text: string): string[] {
  return [...text.matchAll(/\$\{\{([\s\S]*?)\}\}/g)].map(([, inner]) => (inner ?? '').trim());
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shellOf(defaults: unknown): string | undefined {
  if (!isRecord(defaults) || !isRecord(defaults['run'])) return undefined;
  const shell = defaults['run']['shell'];
  return typeof shell === 'string' ? shell : undefined;
}

function listFiles(dir: string, pattern: RegExp, recursive = false): string[] {
  if (!existsSync(dir)) return [];
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && recursive) files.push(...listFiles(path, pattern, true));
    else if (entry.isFile() && pattern.test(entry.name)) files.push(path);
  }
  return files;
}
