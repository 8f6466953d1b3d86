// Who the action acts as: an OIDC role, an IAM user's keys, or the SDK's default chain.
// Credentials come back as objects in memory and are masked as soon as they exist.
import { AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { ActionError } from '../errors.ts';
import type { CredentialSource } from '../record.ts';
import type { RoleSettings, Settings } from '../settings.ts';
import type { AwsConnector, Credentials } from './clients.ts';
import { awsErrorRow, describeAwsError } from './errors.ts';
import { trustPolicyHint } from './oidc-claims.ts';

export interface ActingIdentity {
  source: CredentialSource;
  /** undefined: the SDK's default chain resolves them. */
  credentials: Credentials | undefined;
  /** The caller's ARN, as CloudTrail records it. */
  arn: string;
  /**
   * An IAM user's long-term keys that can call GetSessionToken, when the action holds any.
   * A role never can: AWS refuses GetSessionToken with session credentials.
   */
  stepUpKeys: Credentials | undefined;
  /** Whose those keys are, when they are also the acting credentials; otherwise asked at step-up. */
  stepUpArn: string | undefined;
}

export interface CredentialDeps {
  aws: AwsConnector;
  getIdToken: (audience: string) => Promise<string>;
  mask: (secret: string) => void;
  /** Bounds a wait that no HTTP timeout covers (the run's deadline): names the call if time runs out. */
  bound: <T>(call: string, work: () => Promise<T>) => Promise<T>;
}

export async function resolveActingIdentity(settings: Settings, deps: CredentialDeps): Promise<ActingIdentity> {
  if (settings.role) {
    const { credentials, arn } = await assumeRoleWithOidc(settings.role, deps);
    return { source: 'oidc-role', credentials, arn, stepUpKeys: settings.userKeys, stepUpArn: undefined };
  }
  const sts = deps.aws.sts(settings.userKeys);
  if (settings.userKeys) {
    const arn = await callerArn(sts, settings.maskAwsAccountId ? deps.mask : undefined);
    return { source: 'user-keys', credentials: settings.userKeys, arn, stepUpKeys: settings.userKeys, stepUpArn: arn };
  }
  // Resolve and mask the default chain's keys before the first call signs with them: an endpoint
  // that echoes the request's Authorization header in its error would otherwise print the key id.
  const resolved = await deps.bound('the default credential chain', () => defaultChainCredentials(sts, deps.mask));
  const arn = await callerArn(sts, settings.maskAwsAccountId ? deps.mask : undefined);
  // The default chain may hold an IAM user's keys (a self-hosted runner's profile); those can step up.
  const stepUpKeys = resolved.sessionToken ? undefined : { accessKeyId: resolved.accessKeyId, secretAccessKey: resolved.secretAccessKey };
  return { source: 'default-chain', credentials: undefined, arn, stepUpKeys, stepUpArn: arn };
}

async function defaultChainCredentials(sts: ReturnType<AwsConnector['sts']>, mask: (secret: string) => void): Promise<Credentials> {
  let resolved: Credentials;
  try {
    resolved = await sts.config.credentials();
  } catch (error) {
    throw new ActionError(
      `Found no AWS credentials (${describeAwsError(error)}). Give the action credentials: role-to-assume ` +
        '(with `permissions: id-token: write`) or aws-access-key-id and aws-secret-access-key.',
      { cause: error },
    );
  }
  for (const secret of [resolved.accessKeyId, resolved.secretAccessKey, resolved.sessionToken]) if (secret) mask(secret);
  return resolved;
}

async function assumeRoleWithOidc(role: RoleSettings, deps: CredentialDeps): Promise<{ credentials: Credentials; arn: string }> {
  // core.getIDToken retries for minutes and takes no signal: the deadline bounds the wait.
  const token = await deps.bound('the GitHub OIDC token request', () => requestIdToken(role.audience, deps.getIdToken));
  deps.mask(token);
  try {
    // AssumeRoleWithWebIdentity is unsigned: the client needs no credentials of its own.
    const response = await deps.aws.sts().send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: role.arn,
        RoleSessionName: role.sessionName,
        WebIdentityToken: token,
        DurationSeconds: role.durationSeconds,
      }),
    );
    const credentials = sessionCredentials(response.Credentials, deps.mask);
    return { credentials, arn: response.AssumedRoleUser?.Arn ?? role.arn };
  } catch (error) {
    if (error instanceof ActionError) throw error;
    throw new ActionError(assumeRoleFailure(error, role, token), { cause: error });
  }
}

/**
 * Why STS refused the role, as the error table explains it; the trust policy's conditions and this
 * job's claims only where the trust policy is what refused (not a temporary fault at STS or GitHub).
 */
function assumeRoleFailure(error: unknown, role: RoleSettings, token: string): string {
  const row = awsErrorRow(error);
  const hint = row === undefined || row.trustHint ? ` ${trustPolicyHint(token, role.audience)}` : '';
  return `Could not assume ${role.arn} with the GitHub OIDC token (${describeAwsError(error)}).${row ? ` ${row.explanation}` : ''}${hint}`;
}

async function requestIdToken(audience: string, getIdToken: (audience: string) => Promise<string>): Promise<string> {
  try {
    return await getIdToken(audience);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (message.includes('ACTIONS_ID_TOKEN_REQUEST')) {
      throw new ActionError(
        'role-to-assume needs a GitHub OIDC token, but this job cannot request one: ' +
          'add `permissions: id-token: write` to the job (and `contents: read` if it checks out code).',
        { cause: error },
      );
    }
    throw new ActionError(`Could not get a GitHub OIDC token for audience "${audience}": ${message}`, { cause: error });
  }
}

/** Turns STS's credentials into ours, masking every part before anything can print it. */
export function sessionCredentials(
  raw: { AccessKeyId?: string | undefined; SecretAccessKey?: string | undefined; SessionToken?: string | undefined; Expiration?: Date | undefined } | undefined,
  mask: (secret: string) => void,
): Credentials {
  const { AccessKeyId, SecretAccessKey, SessionToken, Expiration } = raw ?? {};
  if (!AccessKeyId || !SecretAccessKey || !SessionToken) throw new ActionError('STS answered without credentials.');
  for (const secret of [AccessKeyId, SecretAccessKey, SessionToken]) mask(secret);
  return { accessKeyId: AccessKeyId, secretAccessKey: SecretAccessKey, sessionToken: SessionToken, ...(Expiration && { expiration: Expiration }) };
}

/** Who the client's credentials belong to (STS GetCallerIdentity). */
export async function callerArn(sts: ReturnType<AwsConnector['sts']>, maskAccountId: ((secret: string) => void) | undefined): Promise<string> {
  try {
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    if (maskAccountId && identity.Account) maskAccountId(identity.Account);
    return identity.Arn ?? 'unknown';
  } catch (error) {
    const row = awsErrorRow(error);
    throw new ActionError(`Could not tell who these credentials belong to (${describeAwsError(error)}).${row ? ` ${row.explanation}` : ''}`, { cause: error });
  }
}
