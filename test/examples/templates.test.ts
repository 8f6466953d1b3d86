// The shipped IAM templates, checked offline: the CloudFormation template against CloudFormation's
// resource specification, every policy (JSON, embedded in the template, read by Terraform) against
// @cloud-copilot/iam-policy's validation, and the three forms against each other, so the documents
// the end-to-end tests evaluate are the ones an adopter deploys.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateIdentityPolicy, validateTrustPolicy } from '@cloud-copilot/iam-policy';
import { describe, expect, it } from 'vitest';
import { parseTemplate, resolveTemplate, specProblems, type Template } from './cloudformation.ts';
import { EXAMPLES, exampleFiles, examplePolicy, exampleText, fillPlaceholders, PLACEHOLDERS, STANDIN_VALUES, usersGlob, type Values } from './examples.ts';

const TEMPLATE_TEXT = readFileSync(join(EXAMPLES, 'cloudformation/mfa-reset-role.yaml'), 'utf8');
const TERRAFORM = readFileSync(join(EXAMPLES, 'terraform/main.tf'), 'utf8');
const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov'];
const TRUST_FILES = exampleFiles().filter((file) => file.startsWith('trust-policy-'));
const IDENTITY_FILES = exampleFiles().filter((file) => !file.startsWith('trust-policy-'));

const values = (partition: string): Values => ({ ...STANDIN_VALUES, PARTITION: partition, ACCOUNT_ID: '210987654321' });

describe('the JSON policies', () => {
  it('use only the documented placeholders, and every file uses PARTITION rather than a fixed partition', () => {
    for (const file of exampleFiles()) {
      const text = exampleText(file);
      const words = new Set(text.match(/\b[A-Z][A-Z_]{3,}\b/g) ?? []);
      expect(
        [...words].filter((word) => !(PLACEHOLDERS as readonly string[]).includes(word)),
        file,
      ).toEqual([]);
      expect(text, file).toContain('arn:PARTITION:');
      expect(text, file).not.toMatch(/arn:aws(-[a-z]+)?:/);
    }
  });

  it.each(PARTITIONS.flatMap((partition) => exampleFiles().map((file) => ({ partition, file }))))(
    '$file passes iam-policy validation in $partition',
    ({ partition, file }) => {
      const policy = examplePolicy(file, values(partition));
      const validate = TRUST_FILES.includes(file) ? validateTrustPolicy : validateIdentityPolicy;
      expect(validate(policy)).toEqual([]);
    },
  );

  it('iam-policy validation does find a broken document (so the check above can fail)', () => {
    const broken = {
      ...examplePolicy('permission-policy.json'),
      Statement: [{ Effect: 'Allow', Action: 'iam:ListMFADevices', Resource: 'arn:aws:iam::123:user/people/*', Principal: '*' }],
    };
    expect(validateIdentityPolicy(broken)).not.toEqual([]);
  });
});

describe('the CloudFormation template', () => {
  const template = parseTemplate(TEMPLATE_TEXT);

  it("conforms to CloudFormation's resource specification (types, properties, required ones, kinds of values, references)", () => {
    expect(specProblems(template)).toEqual([]);
  });

  it.each([
    { name: 'an unknown resource type', edit: (t: Template) => void (t.Resources['MfaResetRole']!.Type = 'AWS::IAM::Rol') },
    { name: 'an unknown property', edit: (t: Template) => void (t.Resources['MfaResetRole']!.Properties!['AssumeRolePolicy'] = {}) },
    { name: 'a missing required property', edit: (t: Template) => void delete t.Resources['MfaResetRole']!.Properties!['AssumeRolePolicyDocument'] },
    { name: 'a value of the wrong kind', edit: (t: Template) => void (t.Resources['MfaResetRole']!.Properties!['MaxSessionDuration'] = 'an hour') },
    { name: 'a Ref to nothing', edit: (t: Template) => void (t.Resources['MfaResetRole']!.Properties!['RoleName'] = { Ref: 'RoleNam' }) },
    {
      name: 'a ${} in Sub naming nothing',
      edit: (t: Template) => void (t.Resources['MfaResetRole']!.Properties!['Description'] = { 'Fn::Sub': '${GitHubOrg}' }),
    },
    { name: 'an unknown condition', edit: (t: Template) => void (t.Resources['GitHubOidcProvider']!.Condition = 'CreateProviders') },
  ])('the check finds $name', ({ edit }) => {
    const broken = parseTemplate(TEMPLATE_TEXT);
    edit(broken);
    expect(specProblems(broken)).not.toEqual([]);
  });

  // Only the parameters without a default: everything else at the template's own default.
  const stack = (partition: string, parameters: Record<string, string>): Template =>
    resolveTemplate(template, {
      partition,
      accountId: '210987654321',
      parameters: { GitHubOwner: STANDIN_VALUES.GITHUB_OWNER, GitHubRepo: STANDIN_VALUES.GITHUB_REPO, UserPath: '/people/', ...parameters },
    });
  const ids = { GitHubOwnerId: STANDIN_VALUES.GITHUB_OWNER_ID, GitHubRepoId: STANDIN_VALUES.GITHUB_REPO_ID };
  const request = 'octo/app/.github/workflows/mfa-request.yml@refs/heads/main';

  it.each(
    PARTITIONS.flatMap((partition) => [
      { partition, parameters: {}, trust: 'trust-policy-workflow.json', values: {} },
      { partition, parameters: ids, trust: 'trust-policy-workflow-immutable.json', values: {} },
      { partition, parameters: { JobWorkflowRef: '' }, trust: 'trust-policy-environment.json', values: {} },
      { partition, parameters: { ...ids, JobWorkflowRef: '' }, trust: 'trust-policy-environment-immutable.json', values: {} },
      {
        partition,
        parameters: { GitHubEnvironment: 'mfa-requests', JobWorkflowRef: request },
        trust: 'trust-policy-workflow.json',
        values: { GITHUB_ENVIRONMENT: 'mfa-requests', JOB_WORKFLOW_REF: request },
      },
    ]),
  )('$partition, $parameters: the role trusts as $trust does', ({ partition, parameters, trust, values: overrides }) => {
    const role = stack(partition, parameters).Resources['MfaResetRole']!.Properties!;
    expect(role['AssumeRolePolicyDocument']).toEqual(examplePolicy(trust, { ...values(partition), ...overrides }));
    expect(validateTrustPolicy(role['AssumeRolePolicyDocument'])).toEqual([]);
  });

  it.each(['/', '/people/', '/org/team-a/'])('UserPath %s: the permission policy is the JSON document with USERS for that path', (path) => {
    const role = stack('aws', { UserPath: path }).Resources['MfaResetRole']!.Properties!;
    const document = examplePolicy('permission-policy.json', { ...values('aws'), USERS: usersGlob(path) });
    expect(role['Policies']).toEqual([{ PolicyName: 'mfa-reset', PolicyDocument: document }]);
    expect(JSON.stringify(document)).toContain(`:user${path}*"`);
  });

  it.each(PARTITIONS)('%s: the permission, delete and self-service policies are the JSON documents, each only when asked for', (partition) => {
    const minimal = stack(partition, {});
    expect(minimal.Resources['MfaResetRole']!.Properties!['Policies']).toEqual([
      { PolicyName: 'mfa-reset', PolicyDocument: examplePolicy('permission-policy.json', values(partition)) },
    ]);
    expect(Object.keys(minimal.Resources).sort()).toEqual(['GitHubOidcProvider', 'MfaResetRole']);

    const everything = stack(partition, { AllowDeleteVirtualDevices: 'true', CreateSelfServicePolicy: 'true', CreateOidcProvider: 'false' });
    expect(everything.Resources['MfaResetRole']!.Properties!['Policies']).toEqual([
      { PolicyName: 'mfa-reset', PolicyDocument: examplePolicy('permission-policy.json', values(partition)) },
      { PolicyName: 'mfa-reset-delete-virtual-devices', PolicyDocument: examplePolicy('delete-virtual-devices-policy.json', values(partition)) },
    ]);
    expect(everything.Resources['SelfServiceMfaPolicy']!.Properties!['PolicyDocument']).toEqual(
      examplePolicy('self-service-user-policy.json', values(partition)),
    );
    expect(Object.keys(everything.Resources).sort()).toEqual(['MfaResetRole', 'SelfServiceMfaPolicy']);
  });

  it("creates GitHub's OIDC provider for the audience the action asks for", () => {
    expect(stack('aws', {}).Resources['GitHubOidcProvider']!.Properties).toMatchObject({
      Url: 'https://token.actions.githubusercontent.com',
      ClientIdList: ['sts.amazonaws.com'],
    });
  });

  it('refuses parameter values the template does not allow, and needs a user path', () => {
    expect(() => stack('aws', { GitHubOwnerId: 'octo' })).toThrow(/does not match/);
    expect(() => stack('aws', { CreateOidcProvider: 'yes' })).toThrow(/not allowed/);
    for (const path of ['people', '/people', 'people/', '/peo*/', '/a//b/', '']) expect(() => stack('aws', { UserPath: path }), path).toThrow(/does not match/);
    for (const ref of ['mfa-reset.yml@v1', 'octo/app/.github/workflows/mfa-reset.yml', 'octo/app/mfa-reset.yml@refs/heads/main']) {
      expect(() => stack('aws', { JobWorkflowRef: ref }), ref).toThrow(/does not match/);
    }
    const { UserPath: _, ...withoutPath } = { GitHubOwner: 'octo', GitHubRepo: 'app', UserPath: '/' };
    expect(() => resolveTemplate(template, { partition: 'aws', accountId: '210987654321', parameters: withoutPath })).toThrow(/UserPath has no value/);
  });
});

describe('the Terraform module', () => {
  // Terraform is not installed here: the module is checked by what it reads and how it fills it in.
  const replaced = [...TERRAFORM.matchAll(/"\/\\\\b([A-Z_]+)\\\\b\/"/g)].map(([, name]) => name);

  it('reads every policy from examples/iam with file() and fills in exactly the documented placeholders', () => {
    expect(TERRAFORM).toContain('file("${path.module}/../iam/${name}.json")');
    expect([...replaced].sort()).toEqual([...PLACEHOLDERS].sort());
    // Longer names first, though whole-word matching makes the order immaterial.
    expect(replaced.indexOf('GITHUB_OWNER_ID')).toBeLessThan(replaced.indexOf('GITHUB_OWNER'));
  });

  it('names only documents that exist, and can pick each trust policy', () => {
    const named = [...TERRAFORM.matchAll(/"((?:permission|delete-virtual-devices|self-service-user)-policy)"/g)].map(([, name]) => `${name}.json`);
    for (const file of named) expect(IDENTITY_FILES).toContain(file);
    expect(new Set(named)).toEqual(new Set(IDENTITY_FILES));
    const stems = ['trust-policy-workflow', 'trust-policy-environment'];
    for (const stem of stems) expect(TERRAFORM).toContain(`"${stem}"`);
    expect(TERRAFORM).toContain('"-immutable"');
    expect(stems.flatMap((stem) => [`${stem}.json`, `${stem}-immutable.json`]).sort()).toEqual([...TRUST_FILES].sort());
  });

  it("fills a document the way the tests do (Terraform's whole-word regex replace, mirrored)", () => {
    const text = exampleText('trust-policy-workflow-immutable.json') + exampleText('permission-policy.json');
    const terraformLike = PLACEHOLDERS.reduce((filled, name) => filled.replace(new RegExp(`\\b${name}\\b`, 'g'), STANDIN_VALUES[name]), text);
    expect(terraformLike).toBe(fillPlaceholders(text, STANDIN_VALUES));
  });
});
