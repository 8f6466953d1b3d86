// RFC 6238 TOTP as AWS applies it to MFA devices: SHA-1, 6 digits, 30 s steps, the current step
// and one step of skew either side, each (device, step) accepted once.
import { generateSecret, generateSync, verifySync } from 'otplib';
import type { Account, MfaDevice } from './model.ts';

const PERIOD_SECONDS = 30;

/** A base32 seed like AWS's virtual-device seeds (64 characters = 40 bytes). */
export function newSeed(): string {
  return generateSecret({ length: 40 });
}

export function totpCode(seed: string, atMs: number): string {
  return generateSync({ secret: seed, epoch: Math.floor(atMs / 1000) });
}

/** The time step the code matches within ±1 step of `atMs`, or undefined. */
export function matchStep(seed: string, code: string, atMs: number, toleranceSteps = 1): number | undefined {
  try {
    const result = verifySync({
      secret: seed,
      token: code,
      epoch: Math.floor(atMs / 1000),
      epochTolerance: toleranceSteps * PERIOD_SECONDS,
    });
    // otplib types the result as HOTP's or TOTP's; only TOTP's carries the time step.
    return result.valid && 'timeStep' in result ? result.timeStep : undefined;
  } catch {
    // A malformed code or seed is simply not a valid code.
    return undefined;
  }
}

/** Accept a code once: true and remembered when valid and unused, false otherwise. */
export function consumeCode(account: Account, device: MfaDevice, code: string): boolean {
  if (!device.seed) return false;
  const step = matchStep(device.seed, code, account.clock.now());
  if (step === undefined) return false;
  const key = `${device.serial}|${step}`;
  if (account.usedCodes.has(key)) return false;
  account.usedCodes.add(key);
  return true;
}

/** EnableMFADevice's two consecutive codes: code2 in the current window, code1 the step before it. */
export function consumeConsecutiveCodes(account: Account, device: MfaDevice, code1: string, code2: string): boolean {
  if (!device.seed) return false;
  const step2 = matchStep(device.seed, code2, account.clock.now());
  if (step2 === undefined) return false;
  const step1 = matchStep(device.seed, code1, (step2 - 1) * PERIOD_SECONDS * 1000, 0);
  if (step1 !== step2 - 1) return false;
  const keys = [`${device.serial}|${step1}`, `${device.serial}|${step2}`];
  if (keys.some((key) => account.usedCodes.has(key))) return false;
  for (const key of keys) account.usedCodes.add(key);
  return true;
}
