import { GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { sessionCredentials } from "./credentials.js";
import { ActionError, classifyAwsError, describeAwsError } from "./errors.js";
import { chooseStepUpDevice, listMfaDevices } from "./mfa.js";
// GetSessionToken's shortest session: the action needs a few seconds of it.
const SESSION_SECONDS = 900;
/**
 * Runs IAM calls as the acting identity. When AWS refuses one for want of MFA, steps up once and
 * runs that call, and every later one, with the MFA session.
 */
export class IamSession {
    #iam;
    #plan;
    #deps;
    /** The caller's device the session was stepped up with, once it has been. */
    stepUpDevice;
    constructor(iam, plan, deps) {
        this.#iam = iam;
        this.#plan = plan;
        this.#deps = deps;
    }
    async send(call) {
        try {
            return await call(this.#iam);
        }
        catch (error) {
            if (classifyAwsError(error) !== 'mfa-required')
                throw error;
            if (this.stepUpDevice) {
                throw new ActionError(`AWS refused the change even with an MFA-authenticated session: ${describeAwsError(error)}`, { cause: error });
            }
            const { iam, device } = await stepUp(this.#plan, this.#deps);
            this.#iam = iam;
            this.stepUpDevice = device;
            return this.send(call);
        }
    }
}
async function stepUp(plan, deps) {
    const { keys, code } = plan;
    if (!keys)
        throw new ActionError(cannotStepUpWithoutKeys(plan.actingArn));
    if (!code) {
        throw new ActionError('AWS requires an MFA-authenticated session for this change. Dispatch the workflow again with a current ' +
            'six-digit code from the acting IAM user\'s MFA device in mfa-token.');
    }
    // Know the caller's device before spending the code.
    const device = chooseStepUpDevice(await listMfaDevices(deps.aws.iam(keys)), plan.stepUpSerial);
    const credentials = await getMfaSession(deps.aws, keys, device.serial, code, deps.mask);
    return { iam: deps.aws.iam(credentials), device };
}
async function getMfaSession(aws, keys, serial, code, mask) {
    try {
        const response = await aws.sts(keys, { retries: false }).send(new GetSessionTokenCommand({ SerialNumber: serial, TokenCode: code, DurationSeconds: SESSION_SECONDS }));
        return sessionCredentials(response.Credentials, mask);
    }
    catch (error) {
        throw new ActionError(getSessionTokenFailure(error, serial), { cause: error });
    }
}
export function cannotStepUpWithoutKeys(actingArn) {
    return (`AWS refused the change without an MFA-authenticated session, and the action is acting as ${actingArn}, ` +
        'which cannot step up: STS GetSessionToken accepts only an IAM user\'s long-term keys, never a role or other session. ' +
        'Fix it one of two ways: (1) let the role deactivate MFA devices without MFA (drop the aws:MultiFactorAuthPresent ' +
        'condition on iam:DeactivateMFADevice from its policies); or (2) act as the IAM user: pass its own keys in ' +
        'aws-access-key-id and aws-secret-access-key, with a current code in mfa-token.');
}
export function getSessionTokenFailure(error, serial) {
    switch (classifyAwsError(error)) {
        case 'invalid-mfa-code':
            return 'AWS rejected the MFA code: it was wrong, expired (a code lasts about 30 seconds) or already used. ' +
                'The code is never sent twice; dispatch the workflow again with a fresh code.';
        case 'mfa-serial-not-callers':
            return `AWS could not check the code against ${serial}: it must be a TOTP device of the IAM user whose keys are acting. Check step-up-serial-number.`;
        case 'session-credentials':
            return 'GetSessionToken refused temporary credentials: aws-access-key-id and aws-secret-access-key must be an IAM user\'s long-term keys.';
        case 'transient':
            return `GetSessionToken did not complete (${describeAwsError(error)}). It is not retried, because the code may already be spent; ` +
                'dispatch the workflow again with a fresh code.';
        default:
            return `GetSessionToken failed: ${describeAwsError(error)}`;
    }
}
