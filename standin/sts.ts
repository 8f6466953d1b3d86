// STS actions (Version 2011-06-15): who am I, the MFA step-up (GetSessionToken) and the OIDC
// federation (AssumeRoleWithWebIdentity), with AWS's refusals.
import { deflateRawSync } from 'node:zlib';
import { validateSessionPolicy } from '@cloud-copilot/iam-policy';
import { decodeJwt, errors as joseErrors } from 'jose';
import { errors } from './errors.ts';
import type { ActionHandler } from './handler.ts';
import { arnOf } from './identity.ts';
import type { Role, Session } from './model.ts';
import { intParam, PATTERNS, validate } from './params.ts';
import type { Params } from './params.ts';
import type { PolicyDocument } from './policy-documents.ts';
import { consumeCode } from './totp.ts';
import { trustAllows } from './trust.ts';
import type { XmlValue } from './xml.ts';

function credentials(session: Session): XmlValue {
  return {
    AccessKeyId: session.accessKeyId,
    SecretAccessKey: session.secretAccessKey,
    SessionToken: session.sessionToken,
    Expiration: session.expiration,
  };
}

const getCallerIdentity: ActionHandler = ({ account, identity }) => {
  switch (identity.kind) {
    case 'user':
    case 'user-session':
      // Arn, UserId, Account: the order captured from STS.
      return { Arn: identity.user.arn, UserId: identity.user.userId, Account: account.accountId };
    case 'role-session':
      return {
        Arn: arnOf(identity, account.accountId),
        UserId: `${identity.role.roleId}:${identity.sessionName}`,
        Account: account.accountId,
      };
    case 'anonymous':
      throw errors.missingAuthenticationToken();
  }
};

const getSessionToken: ActionHandler = ({ account, identity, params }) => {
  validate(params, {
    DurationSeconds: { min: 900, max: 129600 },
    SerialNumber: { ...PATTERNS.stsSerial, minLength: 9, maxLength: 256 },
    TokenCode: { ...PATTERNS.digits, minLength: 6, maxLength: 6 },
  });
  // Only an IAM user's long-term keys may step up.
  if (identity.kind !== 'user') throw errors.sessionCredentials();
  const serial = params.get('SerialNumber');
  let mfa = false;
  if (serial !== undefined) {
    const device = account.devices.get(serial);
    // FIDO keys are listed but never usable here: they have no TOTP seed.
    if (!device || device.userName !== identity.user.name || !device.seed) throw errors.mfaSerialNotValid();
    const code = params.get('TokenCode');
    if (code === undefined || !consumeCode(account, device, code)) throw errors.mfaCodeInvalid();
    mfa = true;
  }
  const session = account.createSession({ kind: 'user-session', userName: identity.user.name, mfa }, intParam(params, 'DurationSeconds', 43200));
  return { Credentials: credentials(session) };
};

/** `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`; anything else is refused before the role is looked up. */
const ARN = /^arn:[^:]*:[^:]*:[^:]*:[^:]*:.+$/s;

/**
 * Session policies passed with the call make AWS report PackedPolicySize, the percentage of its
 * packed allowance they use. AWS does not document its packing; the stand-in deflates the policy
 * text and ARNs and measures them against 2048 bytes, so the number grows with the policies.
 */
function packedPolicySize(params: Params): number | undefined {
  const policy = params.get('Policy');
  const arns = [...params].filter(([name]) => /^PolicyArns\.member\.\d+\.arn$/.test(name)).map(([, arn]) => arn);
  if (policy === undefined && arns.length === 0) return undefined;
  const packed = deflateRawSync(Buffer.from([policy ?? '', ...arns].join('\n'))).length;
  return Math.max(1, Math.ceil((packed * 100) / 2048));
}

/**
 * The session policy the session will carry: the call's Policy (refused as STS refuses one that is
 * no JSON, no valid policy, or too large once packed), else the role's stand-in default.
 */
function sessionPolicy(params: Params, role: Role | undefined): PolicyDocument | undefined {
  const text = params.get('Policy');
  const packed = packedPolicySize(params);
  if (packed !== undefined && packed > 100) throw errors.packedPolicyTooLarge(packed);
  if (text === undefined) return role?.sessionPolicy;
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw errors.malformedPolicyDocument('The policy is not in the valid JSON format.');
  }
  if (validateSessionPolicy(document).length > 0) throw errors.malformedPolicyDocument('Syntax errors in policy.');
  return document as PolicyDocument;
}

const assumeRoleWithWebIdentity: ActionHandler = async ({ account, oidc, params }) => {
  // The members in the order of AWS's model, which is the order their failures are listed in.
  validate(params, {
    RoleArn: { ...PATTERNS.arn, required: true, minLength: 20, maxLength: 2048 },
    RoleSessionName: { ...PATTERNS.sessionName, required: true, minLength: 2, maxLength: 64 },
    WebIdentityToken: { required: true, minLength: 4, maxLength: 20000 },
    ProviderId: { minLength: 4, maxLength: 2048 },
    Policy: { ...PATTERNS.policy, minLength: 1, maxLength: 2048 },
    DurationSeconds: { min: 900, max: 43200 },
  });
  const roleArn = params.get('RoleArn')!;
  // Captured from STS AssumeRole: a RoleArn that is no ARN at all is a ValidationError, not a refusal.
  if (!ARN.test(roleArn)) throw errors.validation(`${roleArn} is invalid`);
  const role = account.roleByArn(roleArn);
  const duration = intParam(params, 'DurationSeconds', 3600);
  if (role && duration > role.maxSessionDuration) {
    throw errors.validation('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  }

  const policy = sessionPolicy(params, role);

  const token = params.get('WebIdentityToken')!;
  let issuer: unknown;
  try {
    issuer = decodeJwt(token).iss;
  } catch {
    throw errors.invalidIdentityToken('The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)');
  }
  if (issuer !== oidc.issuer) throw errors.invalidIdentityToken(`No OpenIDConnect provider found in your account for ${String(issuer)}`);

  let claims;
  try {
    // The provider's client ID list decides which audiences are accepted at all; the trust policy may narrow it.
    claims = await oidc.verify(token, [...account.oidcClientIds]);
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) {
      const exp = typeof error.payload.exp === 'number' ? error.payload.exp : 0;
      throw errors.expiredWebIdentityToken(Math.floor(account.clock.now() / 1000), exp);
    }
    if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'aud') {
      throw errors.invalidIdentityToken('Incorrect token audience');
    }
    if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
      throw errors.invalidIdentityToken('Signature verification failed');
    }
    throw errors.invalidIdentityToken(error instanceof Error ? error.message : String(error));
  }

  // An unknown role and an untrusted token look the same from outside, as on AWS.
  const subject = typeof claims.sub === 'string' ? claims.sub : '';
  const sessionName = params.get('RoleSessionName')!;
  if (!role || !(await trustAllows(role, account.accountId, claims, sessionName))) throw errors.notAuthorizedWebIdentity();

  const session = account.createSession({ kind: 'role-session', roleName: role.name, sessionName, sessionPolicy: policy }, duration);
  return {
    Credentials: credentials(session),
    SubjectFromWebIdentityToken: subject,
    AssumedRoleUser: {
      AssumedRoleId: `${role.roleId}:${sessionName}`,
      Arn: `arn:aws:sts::${account.accountId}:assumed-role/${role.name}/${sessionName}`,
    },
    PackedPolicySize: packedPolicySize(params),
    Provider: oidc.providerArn(account.accountId),
    Audience: typeof claims.aud === 'string' ? claims.aud : undefined,
  };
};

export const stsActions: Record<string, ActionHandler> = {
  GetCallerIdentity: getCallerIdentity,
  GetSessionToken: getSessionToken,
  AssumeRoleWithWebIdentity: assumeRoleWithWebIdentity,
};

/** STS actions callable without credentials. */
export const UNSIGNED_ACTIONS = new Set(['AssumeRoleWithWebIdentity']);
