import { describe, expect, it } from 'vitest';
import { ActionError, InputError } from '../../src/errors.ts';
import { chooseStepUpDevice, deviceKind, selectDevices } from '../../src/aws/devices.ts';
import type { DeviceKind, MfaDevice } from '../../src/record.ts';

const VIRTUAL = 'arn:aws:iam::123456789012:mfa/alice-phone';
const HARDWARE = 'GAHT12345678';
const FIDO = 'arn:aws:iam::123456789012:u2f/user/alice/yubikey-ABCDEFGHIJKLMNOP';
const device = (serial: string): MfaDevice => ({ serial, kind: deviceKind(serial), enabledAt: undefined });

describe('deviceKind', () => {
  it.each<[string, DeviceKind]>([
    [VIRTUAL, 'virtual'],
    ['arn:aws-cn:iam::123456789012:mfa/path/x', 'virtual'],
    [HARDWARE, 'hardware'],
    [FIDO, 'fido'],
    ['arn:aws-us-gov:iam::123456789012:u2f/user/bob/key', 'fido'],
  ])('%s is %s', (serial, kind) => expect(deviceKind(serial)).toBe(kind));
});

describe('selectDevices', () => {
  const all = [device(VIRTUAL), device(HARDWARE), device(FIDO)];
  it('takes every device when no serial is named', () => expect(selectDevices(all, undefined)).toEqual(all));
  it('takes only the named one', () => expect(selectDevices(all, HARDWARE)).toEqual([device(HARDWARE)]));
  it('refuses a serial the user does not have, naming serial-number', () => {
    expect(() => selectDevices(all, 'GAHT00000000')).toThrow(InputError);
    expect(() => selectDevices(all, 'GAHT00000000')).toThrow(/serial-number.*3 devices.*Nothing was deactivated/);
  });
  it('has nothing to select from an empty list', () => expect(selectDevices([], undefined)).toEqual([]));
});

describe('chooseStepUpDevice', () => {
  const rows: { name: string; devices: string[]; serial?: string; chosen?: string; error?: RegExp }[] = [
    { name: 'the only TOTP device', devices: [VIRTUAL, FIDO], chosen: VIRTUAL },
    { name: 'a hardware token', devices: [HARDWARE], chosen: HARDWARE },
    { name: 'the named one of several', devices: [VIRTUAL, HARDWARE], serial: HARDWARE, chosen: HARDWARE },
    { name: 'several TOTP, none named', devices: [VIRTUAL, HARDWARE], error: /step-up-serial-number is needed.*2 TOTP devices/ },
    { name: 'only FIDO keys', devices: [FIDO], error: /only FIDO security keys/ },
    { name: 'a FIDO key named', devices: [FIDO, VIRTUAL], serial: FIDO, error: /step-up-serial-number is a FIDO security key/ },
    { name: 'a serial the caller lacks', devices: [VIRTUAL], serial: HARDWARE, error: /step-up-serial-number is not an MFA device/ },
    { name: 'no device at all', devices: [], error: /no MFA device/ },
  ];
  it.each(rows)('$name', ({ devices, serial, chosen, error }) => {
    const choose = () => chooseStepUpDevice(devices.map(device), serial);
    if (error) {
      expect(choose).toThrow(ActionError);
      expect(choose).toThrow(error);
    } else {
      expect(choose().serial).toBe(chosen);
    }
  });
});
