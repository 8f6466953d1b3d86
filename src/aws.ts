// The one place AWS clients are made, so every other module takes them as parameters.
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';

/** Credentials held in memory; never exported, written or logged. */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

export interface AwsConnector {
  /** IAM as these credentials; undefined means the SDK's default chain. */
  iam(credentials?: Credentials): IAMClient;
  /**
   * STS as these credentials. `retries: false` is for the one call that carries an MFA code:
   * a resent GetSessionToken would spend the code twice.
   */
  sts(credentials?: Credentials, options?: { retries: boolean }): STSClient;
}

// IAM throttles harder than most services; the SDK's standard retry backs off and retries.
const MAX_ATTEMPTS = 5;

export function awsConnector(region: string): AwsConnector {
  return {
    // IAM is global within a partition: the SDK resolves the partition's endpoint from the region.
    iam: (credentials) => new IAMClient({ region, maxAttempts: MAX_ATTEMPTS, ...(credentials && { credentials }) }),
    sts: (credentials, options = { retries: true }) =>
      new STSClient({ region, maxAttempts: options.retries ? MAX_ATTEMPTS : 1, ...(credentials && { credentials }) }),
  };
}
