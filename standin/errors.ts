// AWS Query-protocol errors: the codes, HTTP statuses and messages AWS answers with, in one place,
// so handlers throw by name and the wire shape is decided by xml.ts alone.

export type ErrorType = 'Sender' | 'Receiver';

export class AwsError extends Error {
  readonly code: string;
  readonly status: number;
  readonly type: ErrorType;
  /** Raised by AWS's front end before a service is chosen: answered in the AWSFault namespace. */
  readonly faultNamespace: boolean;

  /** An empty `message` sends no Message element, as AWS does for MalformedInput. */
  constructor(code: string, status: number, message: string, type: ErrorType = 'Sender', faultNamespace = false) {
    super(message);
    this.name = code;
    this.code = code;
    this.status = status;
    this.type = type;
    this.faultNamespace = faultNamespace;
  }
}

/** The kinds of policy an AccessDenied names, as AWS spells them. */
export type PolicyKind = 'identity-based policy' | 'service control policy' | 'permissions boundary' | 'session policy';

const ARTICLE: Record<PolicyKind, string> = {
  'identity-based policy': 'an',
  'service control policy': 'a',
  'permissions boundary': 'a',
  'session policy': 'a',
};

/**
 * Why a call was refused: an explicit deny or no allow, in which kind of policy. Since January 2026
 * AWS appends the denying policy's ARN to an explicit deny, same-account and same-organization
 * only (AWS Security Blog, "Enhanced access denied error messages with policy ARNs"); the stand-in
 * does so whenever the denying policy has an ARN (SCPs and boundaries always; an identity policy
 * when given one; an inline session policy never). An implicit deny names no policy.
 */
export interface Denial {
  explicit: boolean;
  kind: PolicyKind;
  policyArn?: string | undefined;
}

const INTERNAL = 'The request processing has failed because of an unknown error, exception or failure.';

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

export const errors = {
  // Authentication (sigv4 / identity)
  missingAuthenticationToken: () => new AwsError('MissingAuthenticationToken', 403, 'Request is missing Authentication Token'),
  incompleteSignature: (message: string) => new AwsError('IncompleteSignature', 400, message),
  invalidClientTokenId: () => new AwsError('InvalidClientTokenId', 403, 'The security token included in the request is invalid.'),
  signatureDoesNotMatch: (message: string = SIGNATURE_MISMATCH) => new AwsError('SignatureDoesNotMatch', 403, message),
  expiredToken: () => new AwsError('ExpiredToken', 403, 'The security token included in the request is expired'),

  // Protocol. A request without Version names it NO_VERSION_SPECIFIED (captured from STS).
  invalidAction: (action: string, version: string | undefined) =>
    new AwsError('InvalidAction', 400, `Could not find operation ${action} for version ${version ?? 'NO_VERSION_SPECIFIED'}`, 'Sender', true),
  validation: (message: string) => new AwsError('ValidationError', 400, message),
  /** A number parameter that is not a 32-bit integer; AWS names only the empty case. */
  malformedInput: (message = '') => new AwsError('MalformedInput', 400, message),

  // Authorization
  accessDenied: (message: string) => new AwsError('AccessDenied', 403, message),
  /** AWS's wording (IAM User Guide, "Troubleshoot access denied error messages"), naming the kind of policy that refused. */
  notAuthorized: (arn: string, action: string, resource: string, denial: Denial) =>
    new AwsError(
      'AccessDenied',
      403,
      `User: ${arn} is not authorized to perform: ${action} on resource: ${resource} ` +
        (denial.explicit
          ? `with an explicit deny in ${ARTICLE[denial.kind]} ${denial.kind}${denial.policyArn ? `: ${denial.policyArn}` : ''}`
          : `because no ${denial.kind} allows the ${action} action`),
    ),
  mfaRequiredForSelf: () =>
    new AwsError('AccessDenied', 403, 'To complete this action, please ensure that you are authenticated with an MFA device that is enabled for this user.'),

  // IAM entities
  noSuchUser: (name: string) => new AwsError('NoSuchEntity', 404, `The user with name ${name} cannot be found.`),
  noSuchMfaDevice: (serial: string) => new AwsError('NoSuchEntity', 404, `MFA Device with serial number ${serial} does not exist.`),
  noSuchVirtualMfaDevice: (serial: string) => new AwsError('NoSuchEntity', 404, `VirtualMFADevice with serial number ${serial} doesn't exist.`),
  deleteConflict: () => new AwsError('DeleteConflict', 409, 'MFA Device is still in use'),
  mfaDeviceExists: () => new AwsError('EntityAlreadyExists', 409, 'MFADevice entity at the same path and name already exists.'),
  mfaDeviceInUse: () => new AwsError('EntityAlreadyExists', 409, 'MFA Device is already in use.'),
  userExists: (name: string) => new AwsError('EntityAlreadyExists', 409, `User with name ${name} already exists.`),
  limitExceeded: (quota: string, limit: number) => new AwsError('LimitExceeded', 409, `Cannot exceed quota for ${quota}: ${limit}`),
  invalidAuthenticationCode: () => new AwsError('InvalidAuthenticationCode', 403, 'Authentication code for device is not valid.'),

  // STS
  sessionCredentials: () => new AwsError('AccessDenied', 403, 'Cannot call GetSessionToken with session credentials'),
  mfaSerialNotValid: () =>
    new AwsError(
      'AccessDenied',
      403,
      'MultiFactorAuthentication failed, unable to validate MFA code. ' + 'Please verify your MFA serial number is valid and associated with this user.',
    ),
  mfaCodeInvalid: () => new AwsError('AccessDenied', 403, 'MultiFactorAuthentication failed with invalid MFA one time pass code. '),
  invalidIdentityToken: (message: string) => new AwsError('InvalidIdentityToken', 400, message),
  /** STS's wording, `time` and `exp` in epoch seconds (the missing space is AWS's). */
  expiredWebIdentityToken: (now: number, exp: number) =>
    new AwsError('ExpiredTokenException', 400, `Token expired: current date/time ${now} must be before the expiration date/time${exp}`),
  notAuthorizedWebIdentity: () => new AwsError('AccessDenied', 403, 'Not authorized to perform sts:AssumeRoleWithWebIdentity'),
  // Captured from STS (AWS CLI and SDK issue threads), two spaces after the comma included; temporary.
  idpKeyUnavailable: () =>
    new AwsError(
      'InvalidIdentityToken',
      400,
      "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements",
    ),
  // No captured answer found: the STS API reference's description of IDPCommunicationError.
  idpCommunicationError: () =>
    new AwsError(
      'IDPCommunicationError',
      400,
      'The request could not be fulfilled because the identity provider (IDP) that was asked to verify the incoming identity token could not be reached. ' +
        'This is often a transient error caused by network conditions.',
    ),
  regionDisabled: (accountId: string) =>
    new AwsError(
      'RegionDisabledException',
      403,
      `STS is not activated in this region for account:${accountId}. Your account administrator can activate STS in this region using the IAM Console.`,
    ),
  malformedPolicyDocument: (message: string) => new AwsError('MalformedPolicyDocument', 400, message),
  packedPolicyTooLarge: (percent: number) =>
    new AwsError('PackedPolicyTooLarge', 400, `Packed policy consumes ${percent}% of allotted space, please use smaller policy.`),

  // Faults on demand
  throttling: () => new AwsError('Throttling', 400, 'Rate exceeded'),
  // The API references' wording for IAM's ServiceFailure and the common InternalFailure (STS declares no ServiceFailure).
  serviceFailure: () => new AwsError('ServiceFailure', 500, INTERNAL, 'Receiver'),
  internalFailure: () => new AwsError('InternalFailure', 500, INTERNAL, 'Receiver'),
  // No captured answers found: the IAM API reference's descriptions of these 409s.
  entityTemporarilyUnmodifiable: () =>
    new AwsError(
      'EntityTemporarilyUnmodifiable',
      409,
      'The request was rejected because it referenced an entity that is temporarily unmodifiable, such as a user name that was deleted and then recreated. ' +
        'The error indicates that the request is likely to succeed if you try again after waiting several minutes.',
    ),
  concurrentModification: () =>
    new AwsError(
      'ConcurrentModification',
      409,
      'The request was rejected because multiple requests to change this object were submitted simultaneously. Wait a few minutes and submit your request again.',
    ),
};
