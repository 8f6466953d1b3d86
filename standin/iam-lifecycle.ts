// IAM actions for the life of a throwaway user, which the live test's set-up and clean-up
// (.github/live-aws/fixture.sh) call on AWS and, in its tests, on this stand-in: managed policies
// and their attachments, access keys listed and deleted, users listed and deleted, virtual devices
// listed. The action itself calls none of them (those are in iam.ts). Shapes, parameters and
// refusals as the IAM API reference gives them; every call is authorized by policy.ts like the
// others, with the condition key iam:PolicyARN where AWS sets it.
import { AwsError } from './errors.ts';
import type { ActionContext, ActionHandler } from './handler.ts';
import { actOnUser, userResult } from './iam.ts';
import type { Account, User } from './model.ts';
import { PATTERNS, validate } from './params.ts';
import { checkIdentityPolicy, type PolicyDocument } from './policy-documents.ts';
import { authorize, type Target } from './policy.ts';

const USER_NAME = { ...PATTERNS.name, required: true, minLength: 1, maxLength: 128 };
const POLICY_ARN = { ...PATTERNS.arn, required: true, minLength: 20, maxLength: 2048 };

/** A customer managed policy, as CreatePolicy (or a CloudFormation AWS::IAM::ManagedPolicy) makes one. */
export function createManagedPolicy(account: Account, name: string, document: PolicyDocument): { arn: string } {
  checkIdentityPolicy({ name, document });
  const arn = `arn:aws:iam::${account.accountId}:policy/${name}`;
  account.managedPolicies.set(arn, { arn, name, document });
  return { arn };
}

const lifecycleErrors = {
  noSuchPolicy: (arn: string) => new AwsError('NoSuchEntity', 404, `Policy ${arn} does not exist or is not attachable.`),
  notAttached: (arn: string) => new AwsError('NoSuchEntity', 404, `Policy ${arn} was not found.`),
  noSuchAccessKey: (id: string) => new AwsError('NoSuchEntity', 404, `The Access Key with id ${id} cannot be found.`),
  mustDelete: (what: string) => new AwsError('DeleteConflict', 409, `Cannot delete entity, must ${what} first.`),
};

/** A call that AWS authorizes on no resource (Resource "*" in policies). */
function anyResource(action: string): Target {
  return { owner: undefined, arn: '*', resource: action, tags: undefined };
}

/** The ARNs of the managed policies attached to the user: its policies that name one. */
function attachedTo(context: ActionContext, user: User): string[] {
  return user.policies.map((policy) => policy.name).filter((name) => context.account.managedPolicies.has(name));
}

const attachUserPolicy: ActionHandler = async (context) => {
  validate(context.params, { UserName: USER_NAME, PolicyArn: POLICY_ARN });
  const arn = context.params.get('PolicyArn')!;
  const user = await actOnUser(context, 'iam:AttachUserPolicy', context.params.get('UserName')!, { 'iam:PolicyARN': arn });
  const policy = context.account.managedPolicies.get(arn);
  if (!policy) throw lifecycleErrors.noSuchPolicy(arn);
  if (!attachedTo(context, user).includes(arn)) user.policies.push({ name: arn, document: policy.document });
  return undefined;
};

const detachUserPolicy: ActionHandler = async (context) => {
  validate(context.params, { UserName: USER_NAME, PolicyArn: POLICY_ARN });
  const arn = context.params.get('PolicyArn')!;
  const user = await actOnUser(context, 'iam:DetachUserPolicy', context.params.get('UserName')!, { 'iam:PolicyARN': arn });
  if (!attachedTo(context, user).includes(arn)) throw lifecycleErrors.notAttached(arn);
  user.policies = user.policies.filter((policy) => policy.name !== arn);
  return undefined;
};

const listAttachedUserPolicies: ActionHandler = async (context) => {
  validate(context.params, { UserName: USER_NAME });
  const user = await actOnUser(context, 'iam:ListAttachedUserPolicies', context.params.get('UserName')!);
  const policies = context.account.managedPolicies;
  return {
    AttachedPolicies: attachedTo(context, user).map((arn) => ({ PolicyName: policies.get(arn)?.name ?? arn, PolicyArn: arn })),
    IsTruncated: false,
  };
};

const listAccessKeys: ActionHandler = async (context) => {
  validate(context.params, { UserName: USER_NAME });
  const user = await actOnUser(context, 'iam:ListAccessKeys', context.params.get('UserName')!);
  const keys = context.account.accessKeysOf(user.name);
  return {
    AccessKeyMetadata: keys.map((key) => ({ UserName: user.name, AccessKeyId: key.accessKeyId, Status: 'Active', CreateDate: key.createDate })),
    IsTruncated: false,
  };
};

const deleteAccessKey: ActionHandler = async (context) => {
  validate(context.params, { UserName: USER_NAME, AccessKeyId: { pattern: /^\w+$/, patternText: '[\\w]+', required: true, minLength: 16, maxLength: 128 } });
  const user = await actOnUser(context, 'iam:DeleteAccessKey', context.params.get('UserName')!);
  const id = context.params.get('AccessKeyId')!;
  const key = context.account.accessKeys.get(id);
  if (!key || key.userName !== user.name) throw lifecycleErrors.noSuchAccessKey(id);
  context.account.accessKeys.delete(id);
  return undefined;
};

// AWS refuses to delete a user that still has access keys, MFA devices or attached policies.
const deleteUser: ActionHandler = async (context) => {
  validate(context.params, { UserName: USER_NAME });
  const { account } = context;
  const user = await actOnUser(context, 'iam:DeleteUser', context.params.get('UserName')!);
  if (account.accessKeysOf(user.name).length > 0) throw lifecycleErrors.mustDelete('delete access keys');
  if (account.devicesOf(user.name).length > 0) throw lifecycleErrors.mustDelete('delete MFA device');
  if (attachedTo(context, user).length > 0) throw lifecycleErrors.mustDelete('detach all policies');
  for (const [id, session] of account.sessions) if (session.kind === 'user-session' && session.userName === user.name) account.sessions.delete(id);
  account.users.delete(user.name.toLowerCase());
  return undefined;
};

const listUsers: ActionHandler = async (context) => {
  validate(context.params, { PathPrefix: { pattern: /^\u002F[\u0021-\u007F]*$/, patternText: '\\u002F[\\u0021-\\u007F]*', minLength: 1, maxLength: 512 } });
  await authorize(context.account, context.identity, 'iam:ListUsers', anyResource('iam:ListUsers'));
  const prefix = context.params.get('PathPrefix') ?? '/';
  const users = [...context.account.users.values()].filter((user) => user.path.startsWith(prefix));
  return {
    Users: users.map(userResult),
    IsTruncated: false,
  };
};

const listVirtualMFADevices: ActionHandler = async (context) => {
  validate(context.params, { AssignmentStatus: { pattern: /^(Assigned|Unassigned|Any)$/, patternText: 'Assigned|Unassigned|Any' } });
  await authorize(context.account, context.identity, 'iam:ListVirtualMFADevices', anyResource('iam:ListVirtualMFADevices'));
  const status = context.params.get('AssignmentStatus') ?? 'Any';
  const devices = [...context.account.devices.values()].filter(
    (device) => device.kind === 'virtual' && (status === 'Any' || (status === 'Assigned') === (device.userName !== undefined)),
  );
  return {
    VirtualMFADevices: devices.map((device) => {
      const user = device.userName === undefined ? undefined : context.account.user(device.userName);
      return {
        SerialNumber: device.serial,
        ...(user && { User: userResult(user) }),
        ...(device.enableDate && { EnableDate: device.enableDate }),
      };
    }),
    IsTruncated: false,
  };
};

export const iamLifecycleActions: Record<string, ActionHandler> = {
  AttachUserPolicy: attachUserPolicy,
  DetachUserPolicy: detachUserPolicy,
  ListAttachedUserPolicies: listAttachedUserPolicies,
  ListAccessKeys: listAccessKeys,
  DeleteAccessKey: deleteAccessKey,
  DeleteUser: deleteUser,
  ListUsers: listUsers,
  ListVirtualMFADevices: listVirtualMFADevices,
};
