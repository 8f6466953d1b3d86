// The IAM documents in examples/iam, as shipped, attached in the stand-in and exercised by run()
// in process: the stand-in decides every call with @cloud-copilot/iam-simulate on exactly these
// documents, and decides AssumeRoleWithWebIdentity with the trust policy on the token's claims.
import { describe, expect } from 'vitest';
import type { GithubJob, PolicyDocument, RequestLogEntry, Standin } from '../../standin/index.ts';
import { allowedActions, examplePolicy, STANDIN_VALUES, statementsOf, usersGlob, withoutStatement } from '../examples/examples.ts';
import { it, type RunResult, runInProcess } from './harness.ts';

const ROLE = 'github-mfa-reset';
/** The README's recommended caller: this action's reusable workflow at the major tag (the templates' default pin). */
const REUSABLE = STANDIN_VALUES.JOB_WORKFLOW_REF;
/** The job the shipped trust policies are written for: the environment, in a repository with immutable subjects. */
const JOB: Partial<GithubJob> = { environment: STANDIN_VALUES.GITHUB_ENVIRONMENT, immutableSubject: true };

const permission = (): PolicyDocument => examplePolicy('permission-policy.json');
const deletion = (): PolicyDocument => examplePolicy('delete-virtual-devices-policy.json');
const selfService = (): PolicyDocument => examplePolicy('self-service-user-policy.json');

function exampleRole(standin: Standin, options: { trust?: PolicyDocument; permission?: PolicyDocument; deletion?: PolicyDocument } = {}): string {
  return standin.createRole(ROLE, {
    trustPolicy: options.trust ?? examplePolicy('trust-policy-environment-immutable.json'),
    policies: [
      { name: 'mfa-reset', document: options.permission ?? permission() },
      ...(options.deletion ? [{ name: 'mfa-reset-delete-virtual-devices', document: options.deletion }] : []),
    ],
  }).arn;
}

/** A person under the example's user path, with a phone (virtual) and a hardware token. */
function person(standin: Standin, name: string, options: { path?: string; tags?: Record<string, string> } = {}): string[] {
  standin.createUser(name, { path: options.path ?? '/people/', ...(options.tags && { tags: options.tags }) });
  standin.addVirtualMfa(name, `${name}-phone`);
  standin.addHardwareMfa(name);
  return standin.devicesOf(name);
}

function runAsRole(standin: Standin, role: string, inputs: Record<string, string> = {}): Promise<RunResult> {
  return runInProcess(standin, { 'role-to-assume': role, ...inputs });
}

function selfServiceUser(
  standin: Standin,
  name: string,
  policy: PolicyDocument = selfService(),
): { keys: { accessKeyId: string; secretAccessKey: string }; seed: string } {
  standin.createUser(name, { path: '/people/', policies: [{ name: 'self-service-mfa', document: policy }] });
  const keys = standin.createAccessKey(name);
  const { seed } = standin.addVirtualMfa(name, `${name}-phone`);
  standin.addHardwareMfa(name);
  return { keys, seed };
}

function runSelfService(
  standin: Standin,
  name: string,
  user: { keys: { accessKeyId: string; secretAccessKey: string }; seed: string },
  inputs: Record<string, string> = {},
): Promise<RunResult> {
  const [phone] = standin.devicesOf(name);
  return runInProcess(standin, {
    'user-name': name,
    'aws-access-key-id': user.keys.accessKeyId,
    'aws-secret-access-key': user.keys.secretAccessKey,
    'mfa-token': standin.totp(user.seed),
    'step-up-serial-number': phone ?? '',
    // Deactivate the hardware token, stepping up with the phone.
    'serial-number': standin.devicesOf(name)[1] ?? '',
    ...inputs,
  });
}

const calls = (standin: Standin, action: string): RequestLogEntry[] => standin.requests.filter((entry) => entry.action === action);
const outcomes = (standin: Standin, action: string): string[] => calls(standin, action).map((entry) => entry.outcome);

describe.concurrent('the examples as written', () => {
  it.for([
    { trust: 'trust-policy-environment.json', job: { environment: STANDIN_VALUES.GITHUB_ENVIRONMENT } },
    { trust: 'trust-policy-environment-immutable.json', job: JOB },
    { trust: 'trust-policy-workflow.json', job: { environment: STANDIN_VALUES.GITHUB_ENVIRONMENT, jobWorkflowRef: REUSABLE } },
    { trust: 'trust-policy-workflow-immutable.json', job: { ...JOB, jobWorkflowRef: REUSABLE } },
  ])('admin path with $trust: the role deactivates every device of a person', async ({ trust, job }, { standin }) => {
    standin.oidc.runJob(job);
    const role = exampleRole(standin, { trust: examplePolicy(trust) });
    const devices = person(standin, 'alice');

    const run = await runAsRole(standin, role, { 'user-name': 'alice' });

    expect(run.failure).toBeUndefined();
    expect(run.outputs).toMatchObject({ result: 'deactivated', 'deactivated-devices': JSON.stringify(devices) });
    expect(standin.devicesOf('alice')).toEqual([]);
    expect(outcomes(standin, 'AssumeRoleWithWebIdentity')).toEqual(['ok']);
  });

  it('admin path with the delete policy: deactivates, then deletes the virtual device', async ({ standin }) => {
    standin.oidc.runJob(JOB);
    const role = exampleRole(standin, { deletion: deletion() });
    const [phone] = person(standin, 'alice');

    const run = await runAsRole(standin, role, { 'user-name': 'alice', 'delete-virtual-devices': 'true' });

    expect(run.failure).toBeUndefined();
    expect(run.outputs).toMatchObject({ result: 'deactivated', 'deleted-devices': JSON.stringify([phone]) });
    expect(standin.virtualDevices()).toEqual([]);
  });

  it('self-service path with the self-service policy: refused without MFA, steps up, deactivates its own device', async ({ standin }) => {
    const bob = selfServiceUser(standin, 'bob');
    const [, token] = standin.devicesOf('bob');

    const run = await runSelfService(standin, 'bob', bob);

    expect(run.failure).toBeUndefined();
    expect(run.outputs).toMatchObject({ result: 'deactivated', 'step-up-used': 'true', 'deactivated-devices': JSON.stringify([token]) });
    expect(calls(standin, 'DeactivateMFADevice').map((entry) => [entry.mfa, entry.outcome])).toEqual([
      [false, 'AccessDenied'],
      [true, 'ok'],
    ]);
  });
});

/** The Allow statements of the shipped documents and the call each one alone permits. */
const ALLOW_STATEMENTS = [
  { document: 'permission-policy.json', sid: 'ListMfaDevicesOfUsers', call: 'ListMFADevices' },
  { document: 'permission-policy.json', sid: 'DeactivateMfaDevicesOfUsers', call: 'DeactivateMFADevice' },
  { document: 'permission-policy.json', sid: 'GetUsers', call: 'GetUser' },
  { document: 'permission-policy.json', sid: 'ListTagsOfUsers', call: 'ListUserTags' },
  { document: 'delete-virtual-devices-policy.json', sid: 'DeleteVirtualMfaDevices', call: 'DeleteVirtualMFADevice' },
  { document: 'trust-policy-environment-immutable.json', sid: 'GitHubActionsMfaReset', call: 'AssumeRoleWithWebIdentity' },
  // It allows GetUser and ListMFADevices; GetUser, the first call on the user, is the one refused.
  { document: 'self-service-user-policy.json', sid: 'AllowUserToReadTheirOwnMfaDevices', call: 'GetUser' },
  { document: 'self-service-user-policy.json', sid: 'AllowUserToDeactivateTheirOwnMfaOnlyWhenUsingMfa', call: 'DeactivateMFADevice' },
] as const;

describe.concurrent('removing any one Allow statement makes the call it permits fail', () => {
  it('the tables cover every Allow statement of every shipped permission and trust document', () => {
    const covered = ALLOW_STATEMENTS.map(({ document, sid }) => `${document}#${sid}`);
    const shipped = [
      'permission-policy.json',
      'delete-virtual-devices-policy.json',
      'self-service-user-policy.json',
      'trust-policy-environment-immutable.json',
    ].flatMap((document) =>
      statementsOf(examplePolicy(document))
        .filter((s) => s.Effect === 'Allow')
        .map((s) => `${document}#${s.Sid}`),
    );
    expect(covered.sort()).toEqual(shipped.sort());
  });

  it.for(ALLOW_STATEMENTS)('without $sid of $document, $call fails', async ({ document, sid, call }, { standin }) => {
    standin.oidc.runJob(JOB);
    const cut = withoutStatement(examplePolicy(document), sid);
    let run: RunResult;
    if (document === 'self-service-user-policy.json') {
      run = await runSelfService(standin, 'bob', selfServiceUser(standin, 'bob', cut));
    } else {
      const role = exampleRole(standin, {
        ...(document === 'permission-policy.json' && { permission: cut }),
        ...(document === 'trust-policy-environment-immutable.json' && { trust: cut }),
        deletion: document === 'delete-virtual-devices-policy.json' ? cut : deletion(),
      });
      person(standin, 'alice');
      // ListUserTags is called only to bind the requester to the user.
      run = await runAsRole(standin, role, {
        'user-name': 'alice',
        'delete-virtual-devices': 'true',
        ...(call === 'ListUserTags' && { 'require-user-tag': 'github-login' }),
      });
    }

    expect(run.failure).toBeDefined();
    expect(run.outputs['result']).toBe('failed');
    expect(calls(standin, call).at(-1)?.outcome).toBe('AccessDenied');
    const refusal =
      call === 'AssumeRoleWithWebIdentity'
        ? 'Not authorized to perform sts:AssumeRoleWithWebIdentity'
        : `because no identity-based policy allows the iam:${call} action`;
    expect(run.failure).toContain(refusal);
  });
});

describe.concurrent('the policy itself refuses, even with protected-users empty', () => {
  it.for([
    { name: 'a person tagged mfa-reset-protected=true', user: { path: '/people/', tags: { 'mfa-reset-protected': 'true' } }, explicit: true },
    { name: 'a user under the protected path /admins/', user: { path: '/admins/' }, explicit: true },
    { name: 'a user outside the user path (path /)', user: { path: '/' }, explicit: false },
    { name: 'a user under another path', user: { path: '/contractors/' }, explicit: false },
  ])('$name', async ({ user, explicit }, { standin }) => {
    standin.oidc.runJob(JOB);
    const role = exampleRole(standin, { deletion: deletion() });
    const devices = person(standin, 'root-admin', user);

    const run = await runAsRole(standin, role, { 'user-name': 'root-admin', 'protected-users': '', 'delete-virtual-devices': 'true' });

    expect(run.failure).toBeDefined();
    expect(standin.devicesOf('root-admin')).toEqual(devices);
    expect(calls(standin, 'DeactivateMFADevice')).toEqual([]);
    // The first call on the user is GetUser (the canonical name, for masking): the policy refuses it already.
    const why = explicit ? 'with an explicit deny in an identity-based policy' : 'because no identity-based policy allows the iam:GetUser action';
    expect(run.failure).toContain(`is not authorized to perform: iam:GetUser on resource: user root-admin ${why}`);
  });

  it.for([
    { name: 'a user at / is reset', user: { path: '/' }, refused: undefined },
    { name: 'a user under any other path is reset', user: { path: '/contractors/' }, refused: undefined },
    { name: 'a user under /admins/ is still refused', user: { path: '/admins/' }, refused: 'with an explicit deny in an identity-based policy' },
    {
      name: 'a user tagged mfa-reset-protected=true is still refused',
      user: { path: '/', tags: { 'mfa-reset-protected': 'TRUE' } },
      refused: 'with an explicit deny in an identity-based policy',
    },
  ])('with the user path / (USERS *, every user): $name', async ({ user, refused }, { standin }) => {
    standin.oidc.runJob(JOB);
    const role = exampleRole(standin, { permission: examplePolicy('permission-policy.json', { ...STANDIN_VALUES, USERS: usersGlob('/') }) });
    const devices = person(standin, 'carol', user);

    const run = await runAsRole(standin, role, { 'user-name': 'carol' });

    if (refused === undefined) {
      expect(run.failure).toBeUndefined();
      expect(standin.devicesOf('carol')).toEqual([]);
    } else {
      expect(run.failure).toContain(`on resource: user carol ${refused}`);
      expect(standin.devicesOf('carol')).toEqual(devices);
    }
  });

  it('the protected-tag deny is what refuses a tagged person: without it the same run succeeds', async ({ standin }) => {
    standin.oidc.runJob(JOB);
    const role = exampleRole(standin, { permission: withoutStatement(permission(), 'DenyProtectedUsers') });
    person(standin, 'root-admin', { tags: { 'mfa-reset-protected': 'true' } });

    const run = await runAsRole(standin, role, { 'user-name': 'root-admin' });

    expect(run.failure).toBeUndefined();
    expect(standin.devicesOf('root-admin')).toEqual([]);
  });

  it('the protected-path deny holds even if someone widens the allow to user/*', async ({ standin }) => {
    standin.oidc.runJob(JOB);
    const widened = JSON.parse(JSON.stringify(permission()).replaceAll(':user/people/*', ':user/*')) as PolicyDocument;
    const role = exampleRole(standin, { permission: widened });
    const devices = person(standin, 'root-admin', { path: '/admins/' });
    person(standin, 'alice', { path: '/' });

    const admins = await runAsRole(standin, role, { 'user-name': 'root-admin' });
    const others = await runAsRole(standin, role, { 'user-name': 'alice' });

    expect(admins.failure).toContain('on resource: user root-admin with an explicit deny in an identity-based policy');
    expect(standin.devicesOf('root-admin')).toEqual(devices);
    expect(others.failure).toBeUndefined();
  });
});

describe.concurrent('a trust policy pinned to another job is refused by STS, and the error names the claim to check', () => {
  it.for([
    {
      name: 'another environment',
      trust: examplePolicy('trust-policy-environment-immutable.json', { ...STANDIN_VALUES, GITHUB_ENVIRONMENT: 'production' }),
      job: JOB,
      claim: `sub "repo:octo@1001/app@424242:environment:iam-admin"`,
    },
    {
      name: 'another reusable workflow',
      trust: examplePolicy('trust-policy-workflow-immutable.json'),
      job: { ...JOB, jobWorkflowRef: 'octo/app/.github/workflows/other.yml@refs/heads/main' },
      claim: 'job_workflow_ref "octo/app/.github/workflows/other.yml@refs/heads/main"',
    },
    {
      name: 'the name-form sub, for a repository that uses immutable subjects',
      trust: examplePolicy('trust-policy-environment.json'),
      job: JOB,
      claim: `sub "repo:octo@1001/app@424242:environment:iam-admin"`,
    },
    {
      name: 'the reusable workflow, for a job that does not run in one (its own workflow file is the job_workflow_ref)',
      trust: examplePolicy('trust-policy-workflow-immutable.json'),
      job: JOB,
      claim: 'job_workflow_ref "octo/app/.github/workflows/deactivate-mfa.yml@refs/heads/main"',
    },
  ])('$name', async ({ trust, job, claim }, { standin }) => {
    standin.oidc.runJob(job);
    const role = exampleRole(standin, { trust });
    const devices = person(standin, 'alice');

    const run = await runAsRole(standin, role, { 'user-name': 'alice' });

    expect(run.failure).toBeDefined();
    expect(outcomes(standin, 'AssumeRoleWithWebIdentity')).toEqual(['AccessDenied']);
    expect(standin.requests.filter((entry) => entry.service === 'iam')).toEqual([]);
    expect(standin.devicesOf('alice')).toEqual(devices);
    const error = run.failure;
    expect(error).toContain('Not authorized to perform sts:AssumeRoleWithWebIdentity');
    expect(error).toContain(claim);
    for (const key of [':aud', ':sub', 'repo:OWNER@OWNER_ID/REPO@REPO_ID', ':job_workflow_ref', ':environment']) expect(error).toContain(key);
  });
});

describe.concurrent('the calls the policies allow are exactly the calls the action makes', () => {
  /** STS calls no policy controls: GetCallerIdentity and GetSessionToken need no permission (AWS's IAM User Guide). */
  const UNCONTROLLED = ['sts:GetCallerIdentity', 'sts:GetSessionToken', 'oidc:GetIDToken'];

  function observed(standin: Standin): { controlled: string[]; uncontrolled: string[] } {
    const all = [...new Set(standin.requests.map((entry) => `${entry.service}:${entry.action}`))];
    return { controlled: all.filter((call) => !UNCONTROLLED.includes(call)).sort(), uncontrolled: all.filter((call) => UNCONTROLLED.includes(call)).sort() };
  }

  it('admin path, plain, with delete-virtual-devices and with require-user-tag: permission + delete + trust policies', async ({ standin }) => {
    standin.oidc.runJob(JOB);
    const trust = examplePolicy('trust-policy-environment-immutable.json');
    const role = exampleRole(standin, { trust, deletion: deletion() });
    person(standin, 'alice');
    person(standin, 'carol');
    person(standin, 'dave', { tags: { 'github-login': 'octocat' } });

    const plain = await runAsRole(standin, role, { 'user-name': 'alice' });
    const afterPlain = observed(standin);
    const withDelete = await runAsRole(standin, role, { 'user-name': 'carol', 'delete-virtual-devices': 'true' });
    const withTag = await runAsRole(standin, role, { 'user-name': 'dave', 'require-user-tag': 'github-login' });

    expect([plain.failure, withDelete.failure, withTag.failure]).toEqual([undefined, undefined, undefined]);
    const { controlled, uncontrolled } = observed(standin);
    expect(afterPlain.controlled).toEqual(['iam:DeactivateMFADevice', 'iam:GetUser', 'iam:ListMFADevices', 'sts:AssumeRoleWithWebIdentity']);
    expect(controlled).toEqual(allowedActions(permission(), deletion(), trust));
    expect(uncontrolled).toEqual(['oidc:GetIDToken']);
  });

  it('self-service path: the self-service policy', async ({ standin }) => {
    const bob = selfServiceUser(standin, 'bob');

    const run = await runSelfService(standin, 'bob', bob);

    expect(run.failure).toBeUndefined();
    const { controlled, uncontrolled } = observed(standin);
    expect(controlled).toEqual(allowedActions(selfService()));
    expect(uncontrolled).toEqual(['sts:GetCallerIdentity', 'sts:GetSessionToken']);
  });
});
