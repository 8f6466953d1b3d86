// `npm run local`: the built action, run as the runner does, on this machine.
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { LOCAL_GITHUB, parseArgs } from '../../scripts/local.ts';
import { NODE24 } from '../../standin/runner.ts';

function local(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    // No AWS_* variables, so --real could not reach anything even if it went on.
    const child = execFile(NODE24, ['scripts/local.ts', ...args], { env: { PATH: process.env['PATH'] ?? '' } }, (error, stdout, stderr) =>
      done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end();
  });
}

describe('npm run local against the stand-in', () => {
  it('resets a demo user as the demo role, through GitHub OIDC, with the user masked', async () => {
    const run = await local('user-name=alice');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('acting as the demo role');
    expect(run.stdout).toContain('result = deactivated');
    expect(run.stdout).toContain('Devices after: none');
    expect(run.stdout).toMatch(/IAM user\s+\*\*\*/);
  });

  it('passes inputs through: a dry run changes nothing', async () => {
    const run = await local('user-name=alice', 'dry-run=true');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('result = dry-run');
    expect(run.stdout).not.toContain('Devices after: none');
  });

  it('fails as the action does on bad input, naming it', async () => {
    const run = await local('user-name=not a user!');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Input user-name must be 1 to 128 characters');
    expect(run.stdout).toContain('result = failed');
  });
});

describe('npm run local: --help, and the approval check against the local GitHub', () => {
  it('--help answers, naming every flag, and exits 0 without running anything', async () => {
    const run = await local('--help');
    expect(run.code).toBe(0);
    for (const flag of ['--actor=LOGIN', '--real', '--yes', '--help', 'input=value']) expect(run.stdout).toContain(flag);
    expect(run.stdout).not.toContain('Devices before');
  });

  // No network here beyond 127.0.0.1: a call to github.com would fail the run.
  it('require-approval=environment reads the stand-in, where the run carries a second person’s approval', async () => {
    const run = await local('user-name=alice', 'require-approval=environment');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("GitHub's API: the stand-in's");
    expect(run.stdout).toMatch(new RegExp(`@${LOCAL_GITHUB.reviewer} \\(id \\d+\\)\\s+approved\\s+${LOCAL_GITHUB.environment}`));
    expect(run.stdout).toContain('result = deactivated');
  });

  it('--actor changes who started the run: the reviewer approving their own run is refused', async () => {
    const run = await local('user-name=alice', 'require-approval=environment', `--actor=${LOCAL_GITHUB.reviewer}`);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('result = failed');
    expect(run.stdout).not.toContain('Devices after: none');
  });

  it('require-approval=pull-request finds the merged, approved pull request that added the request', async () => {
    const run = await local('user-name=alice', 'require-approval=pull-request');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`by @${LOCAL_GITHUB.requester}`);
    expect(run.stdout).toContain('result = deactivated');
  });
});

describe('npm run local -- --real', () => {
  it('says it is about to act on real AWS, and without a terminal or --yes does nothing', async () => {
    const run = await local('--real', 'user-name=alice');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('REAL AWS');
    expect(run.stderr).toContain('DEACTIVATES');
    expect(run.stderr).toContain('Nothing was done');
    expect(run.stdout).toBe('');
  });
});

describe('parseArgs', () => {
  const rows = [
    {
      name: 'inputs and flags',
      input: ['user-name=alice', 'protected-users=a,b', '--real', '--yes'],
      expected: { inputs: { 'user-name': 'alice', 'protected-users': 'a,b' }, real: true, yes: true, help: false, actor: undefined },
    },
    {
      name: 'a value with =',
      input: ['role-session-name=a=b'],
      expected: { inputs: { 'role-session-name': 'a=b' }, real: false, yes: false, help: false, actor: undefined },
    },
    {
      name: '--help and --actor',
      input: ['-h', '--actor=octo-reviewer'],
      expected: { inputs: {}, real: false, yes: false, help: true, actor: 'octo-reviewer' },
    },
  ];
  for (const row of rows) it(row.name, () => expect(parseArgs(row.input)).toEqual(row.expected));
  it('rejects anything else', () => {
    expect(() => parseArgs(['alice'])).toThrow(/not an input=value pair/);
    expect(() => parseArgs(['--actor=a b'])).toThrow(/not an input=value pair/);
  });
});
