// A hostile or broken endpoint and a broken runner, against the built action: no workflow command
// and no summary element the action did not write (as the runner reads stdout and GitHub renders
// the summary), a process that exits at timeout-seconds however the OIDC fetch hangs, and no lost
// failure message when the runner's files cannot be written. Other faults: test/run/faults.test.ts.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import type { RequestLogEntry, Standin } from '../../standin/index.ts';
import { type ActionRun, leaksOf, runAction } from '../../standin/runner.ts';
import { adminRole, it } from '../fixtures/standin.ts';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'hardening-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const calls = (standin: Standin, action: string): RequestLogEntry[] => standin.requests.filter((entry) => entry.action === action);

/** Text that is markup, workflow commands and line breaks all at once. */
const HOSTILE =
  '\n\n![x](http://e.example/x.png)\n::warning::injected\n::add-mask::deactivated\n::set-output name=result::deactivated\n' +
  '::stop-commands::pwned\n##[error]legacy\r\n  ::error::indented\n# heading <img src=x onerror=alert(1)> [link](http://e.example)\n\n';

// ---------------------------------------------------------------------------------------------
// What the runner and GitHub make of the run's stdout and summary

/** Workflow commands as the runner finds them: lines whose trimmed start is `::` or `##[`. */
function commandsOf(stdout: string): { name: string; line: string }[] {
  return stdout
    .split(/\r\n|\r|\n/)
    .map((line) => line.trimStart())
    .filter((line) => line.startsWith('::') || line.startsWith('##['))
    .map((line) => ({ name: /^(?:::|##\[)([\w-]+)/.exec(line)?.[1] ?? line, line }));
}

/** Only the commands the action means: masks of values it holds, the toolkit's debug lines, `expectedErrors` errors. */
function expectOnlyOwnCommands(run: ActionRun, expectedErrors: number, maskable: readonly string[]): void {
  const commands = commandsOf(run.stdout);
  expect(commands.map((command) => command.name).filter((name) => !['add-mask', 'debug', 'error'].includes(name))).toEqual([]);
  expect(commands.filter((command) => command.name === 'error')).toHaveLength(expectedErrors);
  const masks = commands.filter((command) => command.name === 'add-mask').map((command) => command.line.slice('::add-mask::'.length));
  expect(masks.filter((value) => !maskable.includes(value))).toEqual([]);
}

// GitHub renders the summary as GitHub-flavoured Markdown with HTML allowed.
const markdown = new MarkdownIt({ html: true, linkify: true });
// The elements core.summary writes for this action's summary: heading, quote, tables, code, the run link, list.
// h3: the audit trail's and the approval's own section headings.
const OWN_ELEMENTS = new Set(['h2', 'h3', 'blockquote', 'table', 'tr', 'th', 'td', 'code', 'a', 'ul', 'li']);

function expectOnlyOwnElements(run: ActionRun): void {
  const html = markdown.render(run.summary);
  const elements = [...html.matchAll(/<([a-zA-Z][\w-]*)/g)].map(([, name]) => name?.toLowerCase() ?? '');
  expect(elements.filter((name) => !OWN_ELEMENTS.has(name))).toEqual([]);
  // One link: the run's own.
  expect(elements.filter((name) => name === 'a')).toHaveLength(1);
}

describe.concurrent('a hostile endpoint and hostile names cannot write into the log or the summary', () => {
  const hostileRun = { actor: `octo${HOSTILE}cat`, triggeringActor: `hubot${HOSTILE}` };

  it('hostile serials from ListMFADevices, logged on a dry run', async ({ standin }) => {
    const role = adminRole(standin);
    standin.createUser('alice');
    standin.addHardwareMfa('alice', `::warning::lead${HOSTILE}`);
    standin.addHardwareMfa('alice', `GAHT1${HOSTILE}`);

    const run = await runAction(
      { 'user-name': 'alice', 'role-to-assume': role, 'dry-run': 'true' },
      { endpoint: standin.endpoint, oidc: standin.oidc, ...hostileRun },
    );

    expect(run.exitCode).toBe(0);
    expect(run.outputs['result']).toBe('dry-run');
    expect(run.stdout).toContain('Dry run: would deactivate ::warning::lead\\n\\n![x]');
    expectOnlyOwnCommands(run, 0, ['alice', ...standin.issuedSecrets()]);
    expectOnlyOwnElements(run);
    expect(leaksOf(run, standin.issuedSecrets())).toEqual([]);
  });

  it('a hostile AWS error message, and a hostile serial AWS refuses', async ({ standin }) => {
    const role = adminRole(standin);
    standin.createUser('alice');
    standin.addVirtualMfa('alice', 'alice-phone');
    standin.addHardwareMfa('alice', `GAHT1${HOSTILE}`);
    standin.faults.inject({ action: 'DeleteVirtualMFADevice', kind: 'error', error: { code: 'ServiceFailure', status: 500, message: HOSTILE }, times: 99 });

    const run = await runAction(
      { 'user-name': 'alice', 'role-to-assume': role, 'delete-virtual-devices': 'true', 'timeout-seconds': '10' },
      { endpoint: standin.endpoint, oidc: standin.oidc, ...hostileRun },
    );

    expect(run.exitCode).toBe(1);
    // The stand-in refuses the hostile serial (ValidationError quoting it) before any deletion.
    expect(calls(standin, 'DeactivateMFADevice').map((entry) => entry.outcome)).toEqual(['ok', 'ValidationError']);
    expect(run.errors).toHaveLength(1);
    expectOnlyOwnCommands(run, 1, ['alice', ...standin.issuedSecrets()]);
    expectOnlyOwnElements(run);
  });

  it('a hostile error from AWS on the failing call itself', async ({ standin }) => {
    const role = adminRole(standin);
    standin.createUser('alice');
    standin.addVirtualMfa('alice', 'alice-phone');
    standin.faults.inject({ action: 'ListMFADevices', kind: 'error', error: { code: 'AccessDenied', status: 403, message: HOSTILE } });

    const run = await runAction({ 'user-name': 'alice', 'role-to-assume': role }, { endpoint: standin.endpoint, oidc: standin.oidc, ...hostileRun });

    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toContain('iam:ListMFADevices failed: AccessDenied:');
    expectOnlyOwnCommands(run, 1, ['alice', ...standin.issuedSecrets()]);
    expectOnlyOwnElements(run);
  });

  it('a hostile error text from the OIDC token endpoint', async ({ standin }) => {
    const role = adminRole(standin);
    standin.createUser('alice');
    standin.faults.inject({ action: 'GetIDToken', kind: 'error', error: { code: 'x', status: 400, message: HOSTILE } });

    const run = await runAction({ 'user-name': 'alice', 'role-to-assume': role }, { endpoint: standin.endpoint, oidc: standin.oidc, ...hostileRun });

    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toContain('Could not get a GitHub OIDC token');
    expect(calls(standin, 'AssumeRoleWithWebIdentity')).toEqual([]);
    expectOnlyOwnCommands(run, 1, ['alice', ...standin.issuedSecrets()]);
    expectOnlyOwnElements(run);
  });
});

describe.concurrent('no hang: every call is bounded by timeout-seconds', () => {
  it('an OIDC token endpoint that never answers', async ({ standin }) => {
    const role = adminRole(standin);
    standin.createUser('alice');
    standin.addVirtualMfa('alice', 'alice-phone');
    standin.faults.inject({ action: 'GetIDToken', kind: 'black-hole', times: 99 });

    const run = await runAction({ 'user-name': 'alice', 'role-to-assume': role, 'timeout-seconds': '5' }, { endpoint: standin.endpoint, oidc: standin.oidc });

    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toContain("the GitHub OIDC token request did not complete before the run's time limit ran out (timeout-seconds: 5)");
    expect(calls(standin, 'AssumeRoleWithWebIdentity')).toEqual([]);
    expect(run.outputs['result']).toBe('failed');
  });
});

describe.concurrent("the outcome is reported even when the runner's files cannot be written", () => {
  /** A path the action cannot write: a directory, or a file in a directory that does not exist. */
  const unwritable = async (kind: 'directory' | 'missing'): Promise<string> => {
    if (kind === 'missing') return join(scratch, 'no-such-dir', 'file');
    const dir = join(scratch, `dir-${Math.random().toString(36).slice(2)}`);
    await mkdir(dir);
    return dir;
  };

  it.for([
    { name: 'summary is a directory', summary: 'directory', output: undefined },
    { name: 'outputs are a directory', summary: undefined, output: 'directory' },
    { name: 'summary and outputs are missing files', summary: 'missing', output: 'missing' },
  ] as const)('a successful run whose $name: succeeds, with a warning', async ({ summary, output }, { standin }) => {
    const role = adminRole(standin);
    standin.createUser('alice');
    standin.addVirtualMfa('alice', 'alice-phone');
    const env: Record<string, string> = {};
    if (summary) env['GITHUB_STEP_SUMMARY'] = await unwritable(summary);
    if (output) env['GITHUB_OUTPUT'] = await unwritable(output);

    const run = await runAction({ 'user-name': 'alice', 'role-to-assume': role }, { endpoint: standin.endpoint, oidc: standin.oidc, env });

    expect(run.exitCode).toBe(0);
    expect(run.errors).toEqual([]);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(standin.devicesOf('alice')).toEqual([]);
    const warnings = run.stdout.split('\n').filter((line) => line.startsWith('::warning::'));
    expect(warnings).toHaveLength((summary ? 1 : 0) + (output ? 1 : 0));
    if (summary) expect(warnings.join('\n')).toContain('Could not write the job summary');
    if (output) expect(warnings.join('\n')).toContain('Could not write the step outputs');
  });

  it('a failed run with neither file writable: the real error, and the warnings beside it', async ({ standin }) => {
    standin.createUser('bob', { requireMfaForSelf: true });
    const keys = standin.createAccessKey('bob');
    const phone = standin.addVirtualMfa('bob', 'bob-phone');
    const used = standin.totp(phone.seed, standin.clock.now() - 5 * 60_000);
    const env = { GITHUB_STEP_SUMMARY: await unwritable('directory'), GITHUB_OUTPUT: await unwritable('directory') };

    const run = await runAction(
      { 'user-name': 'bob', 'aws-access-key-id': keys.accessKeyId, 'aws-secret-access-key': keys.secretAccessKey, 'mfa-token': used },
      { endpoint: standin.endpoint, env },
    );

    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(/AWS rejected the MFA code.*dispatch the workflow again with a fresh code/);
    expect(run.stdout.split('\n').filter((line) => line.startsWith('::warning::'))).toHaveLength(2);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
