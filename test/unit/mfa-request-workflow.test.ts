// The request workflow's first job: which request files a push added, as the JSON matrix it outputs.
// Runs the workflow's own `run:` script with bash against a scratch git repository.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Workflow {
  jobs: Record<string, { permissions: Record<string, string>; steps: Array<{ id?: string; run?: string; uses?: string; with?: Record<string, string> }> }>;
}
const workflow = parse(readFileSync('.github/workflows/mfa-request.yml', 'utf8')) as Workflow;
const script = workflow.jobs['requests']?.steps.find((step) => step.id === 'added')?.run ?? '';

const dir = mkdtempSync(join(tmpdir(), 'mfa-request-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const git = (...args: string[]): string =>
  execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: dir, encoding: 'utf8' }).trim();
function commit(files: Record<string, string>): string {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  git('add', '-A');
  git('commit', '-q', '-m', 'change');
  return git('rev-parse', 'HEAD');
}
function added(before: string, after: string): string[] {
  const output = join(dir, '.output');
  writeFileSync(output, '');
  execFileSync('bash', ['-c', script], { cwd: dir, env: { PATH: process.env['PATH'] ?? '', BEFORE: before, AFTER: after, GITHUB_OUTPUT: output } });
  const line =
    readFileSync(output, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('files=')) ?? '';
  return JSON.parse(line.slice('files='.length)) as string[];
}

git('init', '-q', '-b', 'main');
const root = commit({ 'mfa-resets/2026-01-01-old.yml': 'user-name: old\nreason: r\n', 'README.md': 'x' });
const second = commit({ 'mfa-resets/2026-11-24-alice.yml': 'user-name: alice\nreason: r\n', 'mfa-resets/README.md': 'docs', 'mfa-resets/sub/x.yml': 'n' });
const third = commit({
  'mfa-resets/2026-11-24-alice.yml': 'user-name: alice\nreason: edited\n',
  'mfa-resets/2026-11-25-bob smith.yml': 'user-name: bob\nreason: r\n',
});
const ZERO = '0'.repeat(40);

describe('mfa-request.yml: the request files a push added', () => {
  it.each([
    { name: 'one push, one new request (not docs, not subfolders)', before: root, after: second, expected: ['mfa-resets/2026-11-24-alice.yml'] },
    { name: 'an edited request is not run again; a new one with a space is', before: second, after: third, expected: ['mfa-resets/2026-11-25-bob smith.yml'] },
    { name: 'several commits in one push', before: root, after: third, expected: ['mfa-resets/2026-11-24-alice.yml', 'mfa-resets/2026-11-25-bob smith.yml'] },
    {
      name: "first push (before all zeros): only the pushed commit's own additions",
      before: ZERO,
      after: third,
      expected: ['mfa-resets/2026-11-25-bob smith.yml'],
    },
    { name: 'a force push (before unknown): the same', before: 'deadbeef'.repeat(5), after: second, expected: ['mfa-resets/2026-11-24-alice.yml'] },
    { name: 'the first commit of a repository', before: ZERO, after: root, expected: ['mfa-resets/2026-01-01-old.yml'] },
  ])('$name', ({ before, after, expected }) => {
    expect(added(before, after)).toEqual(expected);
  });
});

describe('mfa-request.yml: least privilege', () => {
  it('grants nothing by default and each job only what it uses', () => {
    expect(parse(readFileSync('.github/workflows/mfa-request.yml', 'utf8'))).toMatchObject({ permissions: {} });
    expect(workflow.jobs['requests']?.permissions).toEqual({ contents: 'read' });
    expect(workflow.jobs['reset']?.permissions).toEqual({ contents: 'read', 'pull-requests': 'write', 'id-token': 'write' });
  });

  it('runs the action with pull-request approval and the user tag, and never an MFA code', () => {
    const step = workflow.jobs['reset']?.steps.find((s) => s.id === 'reset');
    expect(step?.with).toMatchObject({ 'require-approval': 'pull-request', 'require-user-tag': 'github-login', 'request-file': '${{ matrix.file }}' });
    expect(readFileSync('.github/workflows/mfa-request.yml', 'utf8')).not.toContain('mfa-token');
  });
});
