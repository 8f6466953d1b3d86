// The one place AWS clients are made, so every other module takes them as parameters.
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
// IAM throttles harder than most services; the SDK's standard retry backs off and retries.
const MAX_ATTEMPTS = 5;
export function awsConnector(region) {
    return {
        // IAM is global within a partition: the SDK resolves the partition's endpoint from the region.
        iam: (credentials) => new IAMClient({ region, maxAttempts: MAX_ATTEMPTS, ...(credentials && { credentials }) }),
        sts: (credentials, options = { retries: true }) => new STSClient({ region, maxAttempts: options.retries ? MAX_ATTEMPTS : 1, ...(credentials && { credentials }) }),
    };
}
