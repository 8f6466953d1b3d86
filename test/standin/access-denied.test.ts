// AccessDenied as AWS words it (IAM User Guide, "Troubleshoot access denied error messages"):
// "User: ARN is not authorized to perform: ACTION on resource: RESOURCE" and then "with an explicit
// deny in a(n) KIND" (plus ": POLICY-ARN" when the denying policy has one, as AWS does since 2026)
// or "because no KIND allows the ACTION action", for each kind of policy a test can configure:
// identity-based policies, an organization's SCPs, a permissions boundary, a session policy.
import { DeactivateMFADeviceCommand, GetUserCommand } from '@aws-sdk/client-iam';
import { AssumeRoleWithWebIdentityCommand } from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startStandin } from '../../standin/index.ts';
import type { NamedPolicy, PolicyDocument, Standin } from '../../standin/index.ts';
import { failure, iamAs, keysOf, stsAs } from '../../standin/sdk.ts';

let standin: Standin;
let serial: string;

beforeEach(async () => {
  standin = await startStandin();
  standin.createUser('alice');
  serial = standin.addVirtualMfa('alice', 'alice-phone').serial;
});
afterEach(async () => {
  await standin.close();
});

const document = (effect: 'Allow' | 'Deny', action: string): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [{ Effect: effect, Action: action, Resource: '*' }],
});
const ADMIN: NamedPolicy = { name: 'Admin', document: document('Allow', '*') };
const DENY: PolicyDocument = document('Deny', 'iam:DeactivateMFADevice');
const READ_ONLY: PolicyDocument = document('Allow', 'iam:Get*');

/** An IAM user with `options`, refused DeactivateMFADevice on alice's device: the message. */
async function refusal(options: Parameters<Standin['createUser']>[1]): Promise<string> {
  standin.createUser('carol', { requireMfaForSelf: false, ...options });
  const carol = standin.createAccessKey('carol');
  const error = await failure(iamAs(standin, carol).send(new DeactivateMFADeviceCommand({ UserName: 'alice', SerialNumber: serial })));
  expect(error).toMatchObject({ name: 'AccessDenied', status: 403 });
  return error.message;
}

const CAROL = 'User: arn:aws:iam::123456789012:user/carol is not authorized to perform: iam:DeactivateMFADevice on resource: user alice';
const NO_ALLOW = (kind: string) => `${CAROL} because no ${kind} allows the iam:DeactivateMFADevice action`;

describe('identity-based policies', () => {
  it('names an explicit deny in an inline policy, which has no ARN', async () => {
    expect(await refusal({ policies: [ADMIN, { name: 'Inline', document: DENY }] })).toBe(`${CAROL} with an explicit deny in an identity-based policy`);
  });
  it('adds the denying managed policy ARN', async () => {
    const arn = 'arn:aws:iam::123456789012:policy/NoMfaChanges';
    expect(await refusal({ policies: [ADMIN, { name: 'NoMfaChanges', arn, document: DENY }] })).toBe(
      `${CAROL} with an explicit deny in an identity-based policy: ${arn}`,
    );
  });
  it('says no identity-based policy allows', async () => {
    expect(await refusal({ policies: [{ name: 'ReadOnly', document: READ_ONLY }] })).toBe(NO_ALLOW('identity-based policy'));
  });
});

describe('service control policies', () => {
  it('names an explicit deny in an SCP with its ARN, for users and role sessions alike', async () => {
    const [, scp] = standin.setServiceControlPolicies([{ name: 'ProtectMfa', document: DENY }]);
    expect(scp!.arn).toMatch(/^arn:aws:organizations::123456789012:policy\/o-[a-z2-7]{10}\/service_control_policy\/p-[a-z2-7]{8}$/);
    expect(await refusal({ policies: [ADMIN] })).toBe(`${CAROL} with an explicit deny in a service control policy: ${scp!.arn}`);

    standin.createRole('gha', { admin: true });
    const result = await stsAs(standin).send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: 'arn:aws:iam::123456789012:role/gha',
        RoleSessionName: 'gh-1',
        WebIdentityToken: await standin.oidc.issueToken(),
      }),
    );
    const role = keysOf(result.Credentials);
    expect((await failure(iamAs(standin, role).send(new DeactivateMFADeviceCommand({ UserName: 'alice', SerialNumber: serial })))).message).toBe(
      'User: arn:aws:sts::123456789012:assumed-role/gha/gh-1 is not authorized to perform: iam:DeactivateMFADevice on resource: user alice ' +
        `with an explicit deny in a service control policy: ${scp!.arn}`,
    );
  });

  it('says no SCP allows when FullAWSAccess is replaced by a narrower allow', async () => {
    standin.setServiceControlPolicies([{ name: 'ReadOnly', document: READ_ONLY }], { fullAwsAccess: false });
    expect(await refusal({ policies: [ADMIN] })).toBe(NO_ALLOW('service control policy'));
  });

  it('names the SCP before the identity policy when both deny, and lets everything through once removed', async () => {
    const [, scp] = standin.setServiceControlPolicies([{ name: 'ProtectMfa', document: DENY }]);
    expect(await refusal({ policies: [ADMIN, { name: 'Inline', document: DENY }] })).toMatch(new RegExp(`service control policy: ${scp!.arn}$`));
    standin.setServiceControlPolicies([], { fullAwsAccess: false });
    const carol = standin.createAccessKey('carol');
    expect((await iamAs(standin, carol).send(new GetUserCommand({ UserName: 'alice' }))).User?.UserName).toBe('alice');
  });
});

describe('permissions boundaries', () => {
  it('names an explicit deny in the boundary with its ARN', async () => {
    const boundary = {
      name: 'Boundary',
      document: { Version: '2012-10-17', Statement: [...(ADMIN.document.Statement as object[]), ...(DENY.Statement as object[])] },
    };
    expect(await refusal({ policies: [ADMIN], permissionsBoundary: boundary })).toBe(
      `${CAROL} with an explicit deny in a permissions boundary: arn:aws:iam::123456789012:policy/Boundary`,
    );
  });
  it('says no permissions boundary allows', async () => {
    expect(await refusal({ policies: [ADMIN], permissionsBoundary: { name: 'ReadOnlyBoundary', document: READ_ONLY } })).toBe(NO_ALLOW('permissions boundary'));
  });
});

describe('session policies', () => {
  beforeEach(() => {
    standin.createRole('gha', { admin: true });
    standin.createRole('gha-read', { admin: true, sessionPolicy: READ_ONLY });
  });
  const ROLE = (role: string) =>
    `User: arn:aws:sts::123456789012:assumed-role/${role}/gh-1 is not authorized to perform: iam:DeactivateMFADevice on resource: user alice`;

  async function asRole(role: string, policy?: PolicyDocument): Promise<string> {
    const result = await stsAs(standin).send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: `arn:aws:iam::123456789012:role/${role}`,
        RoleSessionName: 'gh-1',
        WebIdentityToken: await standin.oidc.issueToken(),
        ...(policy && { Policy: JSON.stringify(policy) }),
      }),
    );
    return (await failure(iamAs(standin, keysOf(result.Credentials)).send(new DeactivateMFADeviceCommand({ UserName: 'alice', SerialNumber: serial }))))
      .message;
  }

  it('names an explicit deny in the Policy passed to AssumeRoleWithWebIdentity', async () => {
    expect(await asRole('gha', { Version: '2012-10-17', Statement: [...(ADMIN.document.Statement as object[]), ...(DENY.Statement as object[])] })).toBe(
      `${ROLE('gha')} with an explicit deny in a session policy`,
    );
  });
  it("says no session policy allows, for a passed Policy and for a role's stand-in session policy", async () => {
    expect(await asRole('gha', READ_ONLY)).toBe(`${ROLE('gha')} because no session policy allows the iam:DeactivateMFADevice action`);
    expect(await asRole('gha-read')).toBe(`${ROLE('gha-read')} because no session policy allows the iam:DeactivateMFADevice action`);
  });
});
