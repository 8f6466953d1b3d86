// MFA devices: listing them, choosing which to act on, deactivating and deleting them.
// Every function takes its IAM client as a parameter.
import { DeactivateMFADeviceCommand, DeleteVirtualMFADeviceCommand, type IAMClient, paginateListMFADevices } from '@aws-sdk/client-iam';
import { ActionError, InputError } from '../errors.ts';
import type { Deactivation, Deletion, DeviceKind, MfaDevice } from '../record.ts';
import { count } from '../text.ts';
import { awsErrorRow } from './errors.ts';
import { allPages } from './pages.ts';

const FIDO_ARN = /^arn:aws[\w-]*:iam::\d{12}:u2f\//;
const VIRTUAL_ARN = /^arn:aws[\w-]*:iam::\d{12}:mfa\//;

/** Virtual devices and FIDO keys are ARNs; a hardware TOTP token is a bare serial like GAHT12345678. */
export function deviceKind(serial: string): DeviceKind {
  if (FIDO_ARN.test(serial)) return 'fido';
  if (VIRTUAL_ARN.test(serial)) return 'virtual';
  return 'hardware';
}

// A user has at most 8 MFA devices, so even one device per page is 8 pages; more means the
// endpoint is broken or hostile, and following it would send requests without end.
export const MAX_LIST_PAGES = 10;

/** Every page of a user's devices; without a user name, the caller's own (AWS's default). */
export async function listMfaDevices(iam: IAMClient, userName?: string): Promise<MfaDevice[]> {
  const pages = paginateListMFADevices({ client: iam, stopOnSameToken: true }, userName === undefined ? {} : { UserName: userName });
  const list = { call: 'iam:ListMFADevices', items: 'devices', bound: 'a user has at most 8', maxPages: MAX_LIST_PAGES };
  return (await allPages(pages, list)).flatMap((page) =>
    (page.MFADevices ?? []).flatMap(({ SerialNumber, EnableDate }) =>
      SerialNumber ? [{ serial: SerialNumber, kind: deviceKind(SerialNumber), enabledAt: EnableDate }] : [],
    ),
  );
}

/** All of the user's devices, or only the one `serial-number` names, which must be among them. */
export function selectDevices(devices: readonly MfaDevice[], serialNumber: string | undefined): MfaDevice[] {
  if (serialNumber === undefined) return [...devices];
  const chosen = devices.filter((device) => device.serial === serialNumber);
  if (chosen.length === 0) {
    throw new InputError('serial-number', `names a device this user does not have (the user has ${count(devices.length, 'device')}). Nothing was deactivated.`);
  }
  return chosen;
}

/**
 * The caller's own TOTP device to step up with. FIDO keys cannot be used with GetSessionToken, so
 * they never qualify; with several TOTP devices the user must say which one the code is from.
 */
export function chooseStepUpDevice(callerDevices: readonly MfaDevice[], stepUpSerial: string | undefined): MfaDevice {
  if (stepUpSerial !== undefined) {
    const device = callerDevices.find((candidate) => candidate.serial === stepUpSerial);
    if (!device) throw new InputError('step-up-serial-number', 'is not an MFA device of the IAM user whose keys are acting.');
    if (device.kind === 'fido') {
      throw new InputError(
        'step-up-serial-number',
        'is a FIDO security key; AWS accepts those only in the console, not with GetSessionToken. Name a TOTP device.',
      );
    }
    return device;
  }
  const totp = callerDevices.filter((device) => device.kind !== 'fido');
  const [only] = totp;
  if (totp.length === 1 && only) return only;
  if (totp.length > 1) {
    throw new InputError(
      'step-up-serial-number',
      `is needed: the acting IAM user has ${totp.length} TOTP devices (${totp.map((d) => d.serial).join(', ')}); name the one mfa-token comes from.`,
    );
  }
  throw new ActionError(
    callerDevices.length > 0
      ? 'The acting IAM user has only FIDO security keys, which AWS accepts only in the console: GetSessionToken needs a virtual or hardware TOTP device.'
      : 'The acting IAM user has no MFA device, so it cannot get an MFA-authenticated session.',
  );
}

export function deactivateDevice(iam: IAMClient, userName: string, serial: string): Promise<Deactivation> {
  return doneUnlessGone(iam.send(new DeactivateMFADeviceCommand({ UserName: userName, SerialNumber: serial })), 'deactivated', 'already-removed');
}

export function deleteVirtualDevice(iam: IAMClient, serial: string): Promise<Deletion> {
  return doneUnlessGone(iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serial })), 'deleted', 'already-deleted');
}

/** NoSuchEntity for a device that was just listed means someone else got there first: the error table calls it done, not failed. */
async function doneUnlessGone<T extends string>(call: Promise<unknown>, done: T, gone: T): Promise<T> {
  try {
    await call;
    return done;
  } catch (error) {
    if (awsErrorRow(error)?.action === 'done') return gone;
    throw error;
  }
}
