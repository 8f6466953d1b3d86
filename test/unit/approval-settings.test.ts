// The approval inputs: modes, token, tag key and request file, each refusal naming its input.
import { describe, expect, it } from 'vitest';
import { type FileReader, readApprovalSettings } from '../../src/inputs/approval.ts';
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
      expected: { mode: 'none', githubToken: '', userTag: undefined, request: undefined },
    },
    {
      name: 'environment with a token',
      inputs: { 'require-approval': 'environment', 'github-token': 'ghs_x' },
      expected: { mode: 'environment', githubToken: 'ghs_x' },
    },
    { name: 'a tag key', inputs: { 'require-user-tag': 'github-login' }, expected: { userTag: 'github-login' } },
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
      inputs: { 'require-approval': 'pull-request' },
      expected: 'Input github-token is required when require-approval is pull-request',
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

  it('lists the token among the secrets masked before anything is read', () => {
    const inputs = source({ 'github-token': 'ghs_secret', 'require-approval': 'bogus' });
    expect(secretsOf(inputs)).toContain('ghs_secret');
    expect(() => readApprovalSettings(inputs, files)).toThrow('require-approval');
  });
});
