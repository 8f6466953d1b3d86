// What the IAM session does when AWS refuses a call, by who acts (a role, or an IAM user's own keys)
// and by what AWS's AccessDenied says (AWS's MFA rule, an explicit or implicit deny, which kind of
// policy): whether it steps up (GetSessionToken, at most once) and what it tells the user. For
// GetUser, ListUserTags, ListMFADevices and DeactivateMFADevice alike.
import {
  DeactivateMFADeviceCommand,
  DeleteVirtualMFADeviceCommand,
  GetUserCommand,
  IAMClient,
  IAMServiceException,
  ListMFADevicesCommand,
  type ListMFADevicesCommandInput,
  ListUserTagsCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AwsConnector, Credentials } from '../../src/aws/clients.ts';
import { AwsCallError } from '../../src/aws/errors.ts';
import { IamSession } from '../../src/aws/session.ts';
import type { StepUpPlan } from '../../src/aws/step-up.ts';
import { ActionError } from '../../src/errors.ts';

const ACCOUNT = '123456789012';
const ROLE = `arn:aws:sts::${ACCOUNT}:assumed-role/gha-mfa-admin/gh-octocat-42-1`;
const BOB = `arn:aws:iam::${ACCOUNT}:user/bob`;
const BOB_KEYS: Credentials = { accessKeyId: 'AKIABOBEXAMPLE000000', secretAccessKey: 'bobsecretbobsecretbobsecretbobsecret0000' };
const ROLE_KEYS: Credentials = { accessKeyId: 'ASIAROLEEXAMPLE00000', secretAccessKey: 'rolesecretrolesecretrolesecretrolesecre', sessionToken: 'role-token' };
const MFA = { AccessKeyId: 'ASIAMFAEXAMPLE000000', SecretAccessKey: 'mfasecretmfasecretmfasecretmfasecret0000', SessionToken: 'mfa-token' };
const PHONE = `arn:aws:iam::${ACCOUNT}:mfa/bob-phone`;
const CODE = '123456';

const iam = mockClient(IAMClient);
const sts = mockClient(STSClient);

const connector: AwsConnector = {
  iam: (credentials) => new IAMClient({ region: 'us-east-1', ...(credentials && { credentials }) }),
  sts: (credentials) => new STSClient({ region: 'us-east-1', ...(credentials && { credentials }) }),
};

/** The action acting as a role (from OIDC): no keys that can step up, unless `keys` are given beside it. */
const asRole = (code?: string, keys?: Credentials): StepUpPlan => ({ keys, keysArn: undefined, actingArn: ROLE, code, stepUpSerial: undefined });
/** The action acting with bob's own keys. */
const asBob = (code?: string): StepUpPlan => ({ keys: BOB_KEYS, keysArn: BOB, actingArn: BOB, code, stepUpSerial: undefined });

function session(plan: StepUpPlan): { session: IamSession; log: string[] } {
  const log: string[] = [];
  const credentials = plan.actingArn === ROLE ? ROLE_KEYS : BOB_KEYS;
  return { session: new IamSession(connector.iam(credentials), plan, { aws: connector, mask: () => {}, log: (line) => log.push(line) }), log };
}

/** AccessDenied as IAM words it, for `action` on bob, wrapped as the clients' middleware wraps every failure. */
function refusal(action: string, tail: string, who = ROLE): AwsCallError {
  const message = tail.startsWith('To complete') ? tail : `User: ${who} is not authorized to perform: ${action} on resource: user bob ${tail}`;
  return new AwsCallError(action, new IAMServiceException({ name: 'AccessDenied', $fault: 'client', message, $metadata: { httpStatusCode: 403 } }));
}
const EXPLICIT = 'with an explicit deny in an identity-based policy';
const IMPLICIT = (action: string) => `because no identity-based policy allows the ${action} action`;
const SCP = 'with an explicit deny in a service control policy';
const BOUNDARY = 'with an explicit deny in a permissions boundary';
const MFA_RULE = 'To complete this action, please ensure that you are authenticated with an MFA device that is enabled for this user.';

/** Each IAM call the session makes, how to make it, and what IAM answers when it is allowed. */
const CALLS = [
  {
    action: 'iam:GetUser',
    command: GetUserCommand,
    run: (s: IamSession) => s.user('bob'),
    ok: { User: { UserName: 'bob', UserId: 'AIDABOB', Path: '/', Arn: BOB, CreateDate: new Date(0) } },
  },
  { action: 'iam:ListUserTags', command: ListUserTagsCommand, run: (s: IamSession) => s.userTag('bob', 'github-login'), ok: { Tags: [], IsTruncated: false } },
  { action: 'iam:ListMFADevices', command: ListMFADevicesCommand, run: (s: IamSession) => s.devicesOf('bob'), ok: { MFADevices: [], IsTruncated: false } },
  { action: 'iam:DeactivateMFADevice', command: DeactivateMFADeviceCommand, run: (s: IamSession) => s.deactivate('bob', PHONE), ok: {} },
] as const;

const signedWithMfa = async (getClient: () => IAMClient): Promise<boolean> => (await getClient().config.credentials()).accessKeyId === MFA.AccessKeyId;

/** Refuses the call unless it is signed with the MFA session (`always`: refuses that too). */
function refuse(call: (typeof CALLS)[number], error: AwsCallError, always = false): void {
  (iam.on(call.command as typeof GetUserCommand) as ReturnType<typeof iam.on>).callsFake(
    async (input: ListMFADevicesCommandInput, getClient: () => IAMClient) => {
      if (!always && (await signedWithMfa(getClient))) return call.ok;
      // Bob's own devices, for the step-up, are always listed.
      if (call.action === 'iam:ListMFADevices' && input.UserName === undefined)
        return { MFADevices: [{ SerialNumber: PHONE, UserName: 'bob', EnableDate: new Date(0) }] };
      throw error;
    },
  );
}

beforeEach(() => {
  iam.reset();
  sts.reset();
  iam.on(ListMFADevicesCommand, {}).resolves({ MFADevices: [{ SerialNumber: PHONE, UserName: 'bob', EnableDate: new Date(0) }] });
  sts.on(GetCallerIdentityCommand).resolves({ Arn: BOB, Account: ACCOUNT, UserId: 'AIDABOB' });
  sts.on(GetSessionTokenCommand).resolves({ Credentials: { ...MFA, Expiration: new Date('2030-01-01T00:00:00Z') } });
});

async function failure(work: Promise<unknown>): Promise<ActionError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ActionError);
  return error as ActionError;
}

describe.each(CALLS)('$action', (call) => {
  describe('acting as a role: never steps up, names the deny and its likely causes', () => {
    it('an explicit identity-based deny (the example policy protecting a user): the deny, the protection, and why a code cannot help', async () => {
      refuse(call, refusal(call.action, EXPLICIT));
      const error = await failure(call.run(session(asRole(CODE)).session));
      expect(error.message).toContain(
        `${call.action} failed: AccessDenied: User: ${ROLE} is not authorized to perform: ${call.action} on resource: user bob ${EXPLICIT}.`,
      );
      expect(error.message).toMatch(
        /Most often that is deliberate: a protection of this user, such as the example permission policy's deny of users tagged mfa-reset-protected=true or under the path \/admins\//,
      );
      expect(error.message).toContain(`The action is acting as ${ROLE}, which cannot step up: STS GetSessionToken accepts only an IAM user's long-term keys`);
      expect(error.message).toContain('the code in mfa-token was not used');
      expect(error.message).not.toMatch(/drop|remove the aws:MultiFactorAuthPresent|without MFA/i);
      expect(sts.calls()).toEqual([]);
    });

    it('even with user keys beside the role: no GetSessionToken for a policy deny', async () => {
      refuse(call, refusal(call.action, EXPLICIT));
      await failure(call.run(session(asRole(CODE, BOB_KEYS)).session));
      expect(sts.commandCalls(GetSessionTokenCommand)).toEqual([]);
    });

    it.each([
      {
        kind: 'a service control policy',
        tail: SCP,
        says: /service control policy of your AWS Organization refused the call\. SCPs are managed in the organization's management account/,
      },
      { kind: 'a permissions boundary', tail: BOUNDARY, says: /permissions boundary set on the acting identity refused the call/ },
    ])('an explicit deny in $kind: says so', async ({ tail, says }) => {
      refuse(call, refusal(call.action, tail));
      const error = await failure(call.run(session(asRole()).session));
      expect(error.message).toMatch(says);
      expect(error.message).toContain('(an MFA code would not help)');
      expect(sts.calls()).toEqual([]);
    });

    it('an implicit deny (a user outside the policy’s path): the path, and why the call is made', async () => {
      refuse(call, refusal(call.action, IMPLICIT(call.action)));
      const error = await failure(call.run(session(asRole()).session));
      expect(error.message).toContain(
        'No policy of the acting identity allows this call on this user. The example permission policy allows the users under one path only (its UserPath parameter)',
      );
      if (call.action === 'iam:GetUser') expect(error.message).toContain('allow iam:GetUser on the users it may reset, or set mask-user-name: false');
      if (call.action === 'iam:ListUserTags') expect(error.message).toContain('require-user-tag needs to read the user');
      expect(sts.calls()).toEqual([]);
    });
  });

  describe("acting with an IAM user's own keys: steps up at most once", () => {
    it('an MFA-conditioned deny (the self-manage policy) with a code: one GetSessionToken, the call retried with the MFA session', async () => {
      refuse(call, refusal(call.action, EXPLICIT, BOB));
      const { session: s, log } = session(asBob(CODE));
      await call.run(s);
      expect(sts.commandCalls(GetSessionTokenCommand).map(({ args: [command] }) => command.input)).toEqual([
        { SerialNumber: PHONE, TokenCode: CODE, DurationSeconds: 900 },
      ]);
      expect(s.stepUp).toMatchObject({ arn: BOB, device: { serial: PHONE } });
      expect(log.join('\n')).toContain(`MFA session obtained as ${BOB} with ${PHONE}; retrying with it.`);
    });

    it('a deny the MFA session does not lift (a protected user): says plainly that MFA was not the cause', async () => {
      refuse(call, refusal(call.action, EXPLICIT, BOB), true);
      const error = await failure(call.run(session(asBob(CODE)).session));
      expect(error.message).toMatch(
        new RegExp(
          `^AWS refused ${call.action} even with an MFA-authenticated session \\(${BOB}, stepped up with ${PHONE}\\), so MFA was not the cause of this refusal: ${call.action} failed: AccessDenied`,
        ),
      );
      expect(error.message).toContain('Most often that is deliberate');
      expect(sts.commandCalls(GetSessionTokenCommand)).toHaveLength(1);
    });

    it('a deny without a code: the code may help, or not; nothing is spent', async () => {
      refuse(call, refusal(call.action, SCP, BOB));
      const error = await failure(call.run(session(asBob()).session));
      expect(error.message).toContain('A service control policy of your AWS Organization refused the call');
      expect(error.message).toContain(
        "If that policy requires MFA for this call (a condition on aws:MultiFactorAuthPresent, as in AWS's self-manage sample policy), dispatch the workflow again with a current code",
      );
      expect(sts.calls()).toEqual([]);
    });
  });
});

describe("AWS's own MFA rule (a user changing their own MFA)", () => {
  it('with keys and a code: steps up', async () => {
    refuse(CALLS[3], refusal('iam:DeactivateMFADevice', MFA_RULE));
    await expect(session(asBob(CODE)).session.deactivate('bob', PHONE)).resolves.toBe('deactivated');
    expect(sts.commandCalls(GetSessionTokenCommand)).toHaveLength(1);
  });

  it('with keys, without a code: asks for one', async () => {
    refuse(CALLS[3], refusal('iam:DeactivateMFADevice', MFA_RULE));
    const error = await failure(session(asBob()).session.deactivate('bob', PHONE));
    expect(error.message).toMatch(/^AWS requires an MFA-authenticated session for this change\. Dispatch the workflow again with a current six-digit code/);
  });

  it('as a role without keys: cannot step up, and is not told to weaken any policy', async () => {
    refuse(CALLS[3], refusal('iam:DeactivateMFADevice', MFA_RULE));
    const error = await failure(session(asRole(CODE)).session.deactivate('bob', PHONE));
    expect(error.message).toMatch(
      /which cannot step up: STS GetSessionToken accepts only an IAM user's long-term keys.*AWS's own rule for a user changing their own MFA/,
    );
    expect(error.message).not.toMatch(/drop|MultiFactorAuthPresent/);
    expect(sts.calls()).toEqual([]);
  });
});

describe('after a step-up', () => {
  it('a later call refused too is not stepped up again: MFA was not the cause', async () => {
    refuse(CALLS[3], refusal('iam:DeactivateMFADevice', EXPLICIT, BOB));
    iam.on(DeleteVirtualMFADeviceCommand).rejects(refusal('iam:DeleteVirtualMFADevice', EXPLICIT, BOB));
    const { session: s } = session(asBob(CODE));
    await s.deactivate('bob', PHONE);
    const error = await failure(s.deleteVirtual(PHONE));
    expect(error.message).toMatch(/^AWS refused iam:DeleteVirtualMFADevice even with an MFA-authenticated session .*so MFA was not the cause of this refusal/);
    expect(sts.commandCalls(GetSessionTokenCommand)).toHaveLength(1);
  });
});

describe('what is not a refusal passes through untouched', () => {
  it.each(['Throttling', 'ServiceFailure', 'NoSuchEntity'])('%s', async (name) => {
    const error = new AwsCallError('iam:GetUser', new IAMServiceException({ name, $fault: 'client', message: 'x', $metadata: { httpStatusCode: 400 } }));
    iam.on(GetUserCommand).rejects(error);
    const thrown = await session(asBob(CODE))
      .session.send((client) => client.send(new GetUserCommand({ UserName: 'bob' })))
      .catch((e: unknown) => e);
    expect(thrown).toBe(error);
    expect(sts.calls()).toEqual([]);
  });
});
