// The approval inputs: modes, token, tag key and request file, each refusal naming its input.
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { type FileReader, readApprovalSettings, workspaceFiles } from '../../src/inputs/approval.ts';
import { type RawInputs, rawInputs, secretsOf } from '../../src/inputs/read.ts';

/** The inputs as the runner passes them: these values, action.yml's defaults for the rest. */
function source(inputs: Record<string, string>): RawInputs {
  return rawInputs((name) => inputs[name] ?? '');
}

const FILES: Record<string, string> = {
  '/ws/mfa-resets/ok.yml': 'user-name: alice\nreason: lost phone\nticket: OPS-1\n',
  '/ws/mfa-resets/bad.yml': 'user-name: alice\n',
};
const files: FileReader = {
  workspace: '/ws',
  read: (path) => {
    const text = FILES[path];
    if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return text;
  },
};

describe('readApprovalSettings', () => {
  it.each([
    {
      name: 'defaults: none, no tag, no request',
      inputs: {},
      expected: { mode: 'none', githubToken: '', userTag: undefined, request: undefined, maxAgeHours: 24 },
    },
    {
      name: 'environment with a token',
      inputs: { 'require-approval': 'environment', 'github-token': 'ghs_x' },
      expected: { mode: 'environment', githubToken: 'ghs_x' },
    },
    { name: 'a tag key', inputs: { 'require-user-tag': 'github-login' }, expected: { userTag: 'github-login' } },
    { name: 'an approval age bound', inputs: { 'approval-max-age-hours': '72' }, expected: { maxAgeHours: 72 } },
    { name: 'a numeric account id tag key', inputs: { 'require-user-tag': 'github-id' }, expected: { userTag: 'github-id' } },
    {
      name: 'a request file',
      inputs: { 'request-file': 'mfa-resets/ok.yml' },
      expected: { request: { file: 'mfa-resets/ok.yml', userName: 'alice', reason: 'lost phone', ticket: 'OPS-1' } },
    },
  ])('$name', ({ inputs, expected }) => {
    expect(readApprovalSettings(source(inputs), files)).toMatchObject(expected);
  });

  it.each([
    {
      name: 'an unknown mode',
      inputs: { 'require-approval': 'yes' },
      expected: 'Input require-approval must be one of none, environment, pull-request, not "yes".',
    },
    {
      name: 'a mode without a token',
      inputs: { 'require-approval': 'pull-request', 'github-token': '' },
      expected: 'Input github-token is required when require-approval is pull-request',
    },
    {
      name: 'pull-request mode without a request file',
      inputs: { 'require-approval': 'pull-request', 'github-token': 'ghs_x' },
      expected: 'Input request-file is required with require-approval: pull-request',
    },
    {
      name: 'a request file outside mfa-resets/',
      inputs: { 'request-file': 'docs/ok.yml' },
      expected: 'Input request-file "docs/ok.yml" must be a path inside the repository\'s mfa-resets/ folder',
    },
    {
      name: 'an approval age bound out of range',
      inputs: { 'approval-max-age-hours': '721' },
      expected: 'Input approval-max-age-hours must be a whole number from 1 to 720',
    },
    { name: 'a bad tag key', inputs: { 'require-user-tag': 'a;b' }, expected: 'Input require-user-tag must be an IAM tag key' },
    {
      name: 'both user-name and request-file',
      inputs: { 'request-file': 'mfa-resets/ok.yml', 'user-name': 'bob' },
      expected: 'Input user-name must be empty when request-file is set',
    },
    {
      name: 'a path outside the workspace',
      inputs: { 'request-file': '../secrets.yml' },
      expected: 'Input request-file "../secrets.yml" must be a path inside the repository',
    },
    { name: 'an absolute path', inputs: { 'request-file': '/etc/passwd' }, expected: 'Input request-file "/etc/passwd" must be a path inside the repository' },
    { name: 'a missing file', inputs: { 'request-file': 'mfa-resets/none.yml' }, expected: 'Input request-file mfa-resets/none.yml cannot be read (ENOENT)' },
    { name: 'a malformed file', inputs: { 'request-file': 'mfa-resets/bad.yml' }, expected: 'Input request-file mfa-resets/bad.yml: field reason is required' },
  ])('refuses $name', ({ inputs, expected }) => {
    expect(() => readApprovalSettings(source(inputs), files)).toThrow(expected);
  });

  describe('the real workspace: a request file is a regular file inside mfa-resets/', () => {
    const workspace = mkdtempSync(join(tmpdir(), 'ws-'));
    const outside = mkdtempSync(join(tmpdir(), 'elsewhere-'));
    mkdirSync(join(workspace, 'mfa-resets'));
    writeFileSync(join(workspace, 'mfa-resets/ok.yml'), 'user-name: alice\nreason: lost phone\n');
    writeFileSync(join(outside, 'target.yml'), 'user-name: root-admin\nreason: linked\n');
    writeFileSync(join(workspace, 'README.yml'), 'user-name: carol\nreason: linked\n');
    symlinkSync(join(outside, 'target.yml'), join(workspace, 'mfa-resets/out.yml'));
    symlinkSync(join(workspace, 'README.yml'), join(workspace, 'mfa-resets/in-repo-link.yml'));
    afterAll(() => {
      rmSync(workspace, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    });
    const read = (file: string) => readApprovalSettings(source({ 'request-file': file }), workspaceFiles(workspace));

    it('reads a regular file', () => expect(read('mfa-resets/ok.yml').request?.userName).toBe('alice'));
    it('refuses a file reached through a linked request folder', () => {
      const linked = mkdtempSync(join(tmpdir(), 'ws-linked-'));
      symlinkSync(outside, join(linked, 'mfa-resets'));
      expect(() => readApprovalSettings(source({ 'request-file': 'mfa-resets/target.yml' }), workspaceFiles(linked))).toThrow(
        'cannot be read (outside mfa-resets/)',
      );
      rmSync(linked, { recursive: true, force: true });
    });
    it.each(['mfa-resets/out.yml', 'mfa-resets/in-repo-link.yml'])('refuses the symbolic link %s', (file) => {
      expect(() => read(file)).toThrow(`Input request-file ${file} cannot be read (not a regular file (a symbolic link or a folder))`);
    });
  });

  it('lists the token among the secrets masked before anything is read', () => {
    const inputs = source({ 'github-token': 'ghs_secret', 'require-approval': 'bogus' });
    expect(secretsOf(inputs)).toContain('ghs_secret');
    expect(() => readApprovalSettings(inputs, files)).toThrow('require-approval');
  });
});
