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
function run(before: string, after: string): Record<string, string[]> {
  const output = join(dir, '.output');
  writeFileSync(output, '');
  execFileSync('bash', ['-c', script], { cwd: dir, env: { PATH: process.env['PATH'] ?? '', BEFORE: before, AFTER: after, GITHUB_OUTPUT: output } });
  const lines = readFileSync(output, 'utf8')
    .split('\n')
    .filter((l) => l.includes('='));
  return Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf('=')), JSON.parse(line.slice(line.indexOf('=') + 1)) as string[]]));
}
const added = (before: string, after: string): string[] => run(before, after)['files'] ?? [];

git('init', '-q', '-b', 'main');
const root = commit({ 'mfa-resets/2026-01-01-old.yml': 'user-name: old\nreason: r\n', 'README.md': 'x' });
const second = commit({ 'mfa-resets/2026-11-24-alice.yml': 'user-name: alice\nreason: r\n', 'mfa-resets/README.md': 'docs', 'mfa-resets/sub/x.yml': 'n' });
const third = commit({
  'mfa-resets/2026-11-24-alice.yml': 'user-name: alice\nreason: edited\n',
  'mfa-resets/2026-11-25-bob.yml': 'user-name: bob\nreason: r\n',
  'mfa-resets/2026-11-25-<b>carol</b> @org/team.yml': 'user-name: carol\nreason: r\n',
});
const ZERO = '0'.repeat(40);

describe('mfa-request.yml: the request files a push added', () => {
  it.each([
    { name: 'one push, one new request (not docs, not subfolders)', before: root, after: second, expected: ['mfa-resets/2026-11-24-alice.yml'] },
    { name: 'an edited request is not run again; a new one is', before: second, after: third, expected: ['mfa-resets/2026-11-25-bob.yml'] },
    { name: 'several commits in one push', before: root, after: third, expected: ['mfa-resets/2026-11-24-alice.yml', 'mfa-resets/2026-11-25-bob.yml'] },
    {
      name: "first push (before all zeros): only the pushed commit's own additions",
      before: ZERO,
      after: third,
      expected: ['mfa-resets/2026-11-25-bob.yml'],
    },
    { name: 'a force push (before unknown): the same', before: 'deadbeef'.repeat(5), after: second, expected: ['mfa-resets/2026-11-24-alice.yml'] },
    { name: 'the first commit of a repository', before: ZERO, after: root, expected: ['mfa-resets/2026-01-01-old.yml'] },
  ])('$name', ({ before, after, expected }) => {
    expect(added(before, after)).toEqual(expected);
  });

  it('a request-like file (.yml) whose name is not a plain request name is never dropped silently: it is listed as refused, and the run fails naming it', () => {
    expect(run(second, third)['rejected']).toEqual(['mfa-resets/2026-11-25-<b>carol</b> @org/team.yml']);
    expect(run(root, second)['rejected']).toEqual(['mfa-resets/sub/x.yml']);
    const refuse = workflow.jobs['requests']?.steps.find((step) => step.run?.includes('REJECTED'));
    expect(refuse).toMatchObject({ if: "steps.added.outputs.rejected != '[]'" });
  });
});

describe('mfa-request.yml: no merged request is dropped, none cancelled', () => {
  const text = parse(readFileSync('.github/workflows/mfa-request.yml', 'utf8')) as {
    concurrency?: unknown;
    jobs: Record<string, { concurrency?: unknown; if?: string }>;
  };
  it('no workflow-level concurrency group (GitHub would cancel the older pending run); one group per request file', () => {
    expect(text.concurrency).toBeUndefined();
    expect(text.jobs['reset']?.concurrency).toEqual({ group: 'mfa-reset-${{ matrix.file }}', 'cancel-in-progress': false });
    expect(text.jobs['reset']?.if).toContain('always()');
  });
});

describe('mfa-request.yml: the pull-request comment quotes every outside value as code', () => {
  const step = workflow.jobs['reset']?.steps.find((s) => s.run?.includes('gh api')) as { run: string } | undefined;
  it.each([
    { name: 'a hostile approver login and result', approvals: '[{"reviewer":"x` <img src=x onerror=alert(1)> @org/admins `y"}]', result: 'deactivated`<b>' },
    { name: 'plain values', approvals: '[{"reviewer":"bob"}]', result: 'deactivated' },
  ])('$name', ({ approvals, result }) => {
    const bin = mkdtempSync(join(tmpdir(), 'gh-'));
    const body = join(bin, 'body');
    // A stand-in `gh` that records the comment body instead of posting it.
    writeFileSync(
      join(bin, 'gh'),
      `#!/usr/bin/env bash\nfor a in "$@"; do case "$a" in body=*) printf '%s' "\${a#body=}" > ${JSON.stringify(body)};; esac; done\n`,
      { mode: 0o755 },
    );
    execFileSync('bash', ['-c', step?.run ?? 'exit 1'], {
      env: {
        PATH: `${bin}:${process.env['PATH'] ?? ''}`,
        GITHUB_REPOSITORY: 'octo/app',
        PULL_REQUEST: '7',
        RESULT: result,
        DEACTIVATED: '["arn:aws:iam::123456789012:mfa/x`y"]',
        REMAINING: '[]',
        APPROVALS: approvals,
        REQUEST_FILE: 'mfa-resets/2026-12-04-alice.yml',
        RUN_URL: 'https://github.com/octo/app/actions/runs/1/attempts/1',
      },
    });
    const posted = readFileSync(body, 'utf8');
    rmSync(bin, { recursive: true, force: true });
    // Every outside value sits inside a code span that it cannot close: no backtick of its own survives.
    for (const line of posted.split('\n')) {
      const spans = line.match(/`[^`]*`/g) ?? [];
      const outside = spans.reduce((rest, span) => rest.replace(span, ''), line);
      expect(outside).not.toMatch(/[<>@`]/);
    }
    expect(posted).toContain('`mfa-resets/2026-12-04-alice.yml`');
  });
});

describe('mfa-request.yml: least privilege', () => {
  it('grants nothing by default and each job only what it uses', () => {
    expect(parse(readFileSync('.github/workflows/mfa-request.yml', 'utf8'))).toMatchObject({ permissions: {} });
    expect(workflow.jobs['requests']?.permissions).toEqual({ contents: 'read' });
    expect(workflow.jobs['reset']?.permissions).toEqual({ contents: 'read', actions: 'read', 'pull-requests': 'write', 'id-token': 'write' });
  });

  it('runs the action with pull-request approval and the user tag, and never an MFA code', () => {
    const step = workflow.jobs['reset']?.steps.find((s) => s.id === 'reset');
    expect(step?.with).toMatchObject({ 'require-approval': 'pull-request', 'require-user-tag': 'github-id', 'request-file': '${{ matrix.file }}' });
    expect(readFileSync('.github/workflows/mfa-request.yml', 'utf8')).not.toContain('mfa-token');
  });
});
