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
  notAuthorized: (arn: string, action: string, resource: string, explicitDeny: boolean) =>
    new AwsError(
      'AccessDenied',
      403,
      `User: ${arn} is not authorized to perform: ${action} on resource: ${resource} ` +
        (explicitDeny ? 'with an explicit deny in an identity-based policy' : `because no identity-based policy allows the ${action} action`),
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
  expiredWebIdentityToken: (message: string) => new AwsError('ExpiredTokenException', 400, message),
  notAuthorizedWebIdentity: () => new AwsError('AccessDenied', 403, 'Not authorized to perform sts:AssumeRoleWithWebIdentity'),

  // Faults on demand
  throttling: () => new AwsError('Throttling', 400, 'Rate exceeded'),
  serviceFailure: () =>
    // The IAM API reference's wording for ServiceFailure.
    new AwsError('ServiceFailure', 500, 'The request processing has failed because of an unknown error, exception or failure.', 'Receiver'),
};
