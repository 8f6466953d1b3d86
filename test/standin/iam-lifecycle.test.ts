// The IAM calls the live test's set-up and clean-up make (standin/iam-lifecycle.ts), through the real
// SDK: shapes, AWS's refusals, and authorization by the caller's policies, iam:PolicyARN included.
import {
  AttachUserPolicyCommand,
  CreateUserCommand,
  DeactivateMFADeviceCommand,
  DeleteAccessKeyCommand,
  DeleteUserCommand,
  DetachUserPolicyCommand,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListUsersCommand,
  ListVirtualMFADevicesCommand,
} from '@aws-sdk/client-iam';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Standin, startStandin } from '../../standin/index.ts';
import { failure, iamAs } from '../../standin/sdk.ts';

let standin: Standin;
beforeEach(async () => {
  standin = await startStandin();
});
afterEach(async () => {
  await standin.close();
});

const READ_ONLY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }] };

function admin() {
  standin.createUser('root-ops', { admin: true });
  return iamAs(standin, standin.createAccessKey('root-ops'));
}

describe('users and their keys, listed and deleted', () => {
  it('ListUsers filters by path prefix; ListAccessKeys lists a user’s keys; DeleteAccessKey removes one', async () => {
    const iam = admin();
    standin.createUser('alice', { path: '/live/' });
    standin.createUser('bob', { path: '/people/' });
    const key = standin.createAccessKey('alice');

    const { Users } = await iam.send(new ListUsersCommand({ PathPrefix: '/live/' }));
    expect(Users?.map((user) => [user.UserName, user.Path])).toEqual([['alice', '/live/']]);
    const { AccessKeyMetadata } = await iam.send(new ListAccessKeysCommand({ UserName: 'alice' }));
    expect(AccessKeyMetadata?.map((meta) => [meta.AccessKeyId, meta.Status])).toEqual([[key.accessKeyId, 'Active']]);
    await iam.send(new DeleteAccessKeyCommand({ UserName: 'alice', AccessKeyId: key.accessKeyId }));
    expect((await iam.send(new ListAccessKeysCommand({ UserName: 'alice' }))).AccessKeyMetadata).toEqual([]);
    expect((await failure(iam.send(new DeleteAccessKeyCommand({ UserName: 'alice', AccessKeyId: key.accessKeyId })))).message).toBe(
      `The Access Key with id ${key.accessKeyId} cannot be found.`,
    );
  });

  it('DeleteUser refuses while the user has keys, an MFA device or an attached policy, as AWS does', async () => {
    const iam = admin();
    const policy = standin.createManagedPolicy('read-only', READ_ONLY);
    await iam.send(new CreateUserCommand({ UserName: 'carol', Path: '/live/' }));
    const key = standin.createAccessKey('carol');
    const { serial } = standin.addVirtualMfa('carol', 'carol');
    await iam.send(new AttachUserPolicyCommand({ UserName: 'carol', PolicyArn: policy.arn }));

    const refusal = async () => failure(iam.send(new DeleteUserCommand({ UserName: 'carol' })));
    expect(await refusal()).toMatchObject({ name: 'DeleteConflictException', message: 'Cannot delete entity, must delete access keys first.' });
    await iam.send(new DeleteAccessKeyCommand({ UserName: 'carol', AccessKeyId: key.accessKeyId }));
    expect((await refusal()).message).toBe('Cannot delete entity, must delete MFA device first.');
    const { VirtualMFADevices } = await iam.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Assigned' }));
    expect(VirtualMFADevices?.map((device) => [device.SerialNumber, device.User?.UserName])).toEqual([[serial, 'carol']]);
    await iam.send(new DeactivateMFADeviceCommand({ UserName: 'carol', SerialNumber: serial }));
    expect((await refusal()).message).toBe('Cannot delete entity, must detach all policies first.');
    await iam.send(new DetachUserPolicyCommand({ UserName: 'carol', PolicyArn: policy.arn }));

    await iam.send(new DeleteUserCommand({ UserName: 'carol' }));
    expect((await iam.send(new ListUsersCommand({ PathPrefix: '/live/' }))).Users).toEqual([]);
    expect((await iam.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Unassigned' }))).VirtualMFADevices?.map((d) => d.SerialNumber)).toEqual([
      serial,
    ]);
  });
});

describe('managed policies attached, with iam:PolicyARN', () => {
  it('attaches, lists and detaches; an unknown policy or one not attached is NoSuchEntity', async () => {
    const iam = admin();
    standin.createUser('dave');
    const policy = standin.createManagedPolicy('read-only', READ_ONLY);

    await iam.send(new AttachUserPolicyCommand({ UserName: 'dave', PolicyArn: policy.arn }));
    const { AttachedPolicies } = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'dave' }));
    expect(AttachedPolicies).toEqual([{ PolicyName: 'read-only', PolicyArn: policy.arn }]);
    const missing = `${policy.arn}-2`;
    expect((await failure(iam.send(new AttachUserPolicyCommand({ UserName: 'dave', PolicyArn: missing })))).message).toBe(
      `Policy ${missing} does not exist or is not attachable.`,
    );
    await iam.send(new DetachUserPolicyCommand({ UserName: 'dave', PolicyArn: policy.arn }));
    expect((await failure(iam.send(new DetachUserPolicyCommand({ UserName: 'dave', PolicyArn: policy.arn })))).message).toBe(
      `Policy ${policy.arn} was not found.`,
    );
  });

  it('an attached policy decides the user’s calls', async () => {
    const iam = admin();
    const policy = standin.createManagedPolicy('list-users', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }],
    });
    standin.createUser('erin', { policies: [] });
    const erin = iamAs(standin, standin.createAccessKey('erin'));
    expect((await failure(erin.send(new ListUsersCommand({})))).name).toBe('AccessDenied');
    await iam.send(new AttachUserPolicyCommand({ UserName: 'erin', PolicyArn: policy.arn }));
    expect((await erin.send(new ListUsersCommand({}))).Users?.length).toBeGreaterThan(0);
  });

  it('a caller allowed to attach only one policy (Condition ArnEquals iam:PolicyARN) is refused any other', async () => {
    const allowed = standin.createManagedPolicy('allowed', READ_ONLY);
    const other = standin.createManagedPolicy('other', READ_ONLY);
    standin.createUser('target');
    standin.createUser('fixture', {
      policies: [
        {
          name: 'attach-one',
          document: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 'iam:AttachUserPolicy', Resource: '*', Condition: { ArnEquals: { 'iam:PolicyARN': allowed.arn } } }],
          },
        },
      ],
    });
    const fixture = iamAs(standin, standin.createAccessKey('fixture'));

    await fixture.send(new AttachUserPolicyCommand({ UserName: 'target', PolicyArn: allowed.arn }));
    const refused = await failure(fixture.send(new AttachUserPolicyCommand({ UserName: 'target', PolicyArn: other.arn })));
    expect(refused).toMatchObject({ name: 'AccessDenied' });
    expect(refused.message).toContain('is not authorized to perform: iam:AttachUserPolicy on resource: user target');
  });
});
