// `npm run local`: the built action, run as the runner does, on this machine.
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../scripts/local.ts';
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
      expected: { inputs: { 'user-name': 'alice', 'protected-users': 'a,b' }, real: true, yes: true },
    },
    { name: 'a value with =', input: ['role-session-name=a=b'], expected: { inputs: { 'role-session-name': 'a=b' }, real: false, yes: false } },
  ];
  for (const row of rows) it(row.name, () => expect(parseArgs(row.input)).toEqual(row.expected));
  it('rejects anything else', () => expect(() => parseArgs(['alice'])).toThrow(/not an input=value pair/));
});
