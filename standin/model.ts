// The account the stand-in simulates: users, roles, keys, sessions and MFA devices, plus a clock
// tests can move. Pure state and the invariants AWS enforces on it (quotas, uniqueness); who may
// change it is policy.ts's concern, the wire format the handlers'.
import { randomBytes, randomInt } from 'node:crypto';
import { errors } from './errors.ts';
import type { AccessKey, MfaDevice, Role, Session, User } from './entities.ts';
import type { NamedPolicy, PolicyDocument } from './policy-documents.ts';

export type { AccessKey, DeviceKind, MfaDevice, Role, Session, User } from './entities.ts';

export class Clock {
  offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
  date(): Date {
    return new Date(this.now());
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

/**
 * IAM is eventually consistent: for `consistencyWindowMs` after a deactivation,
 * DeleteVirtualMFADevice still answers DeleteConflict. CONSISTENCY_WINDOW_MS is a window that keeps
 * tests fast; an account or a test may set any (0: none). On by default: every run that deletes
 * devices right after deactivating them meets it, as it would on AWS, and the action retries it.
 */
export const CONSISTENCY_WINDOW_MS = 250;

export const MAX_MFA_DEVICES_PER_USER = 8;
export const MAX_ACCESS_KEYS_PER_USER = 2;

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Random characters in AWS's id alphabet (upper-case base32), e.g. for AKIA…/AIDA… ids. */
export function randomId(prefix: string, length: number): string {
  let id = prefix;
  for (let i = 0; i < length; i++) id += BASE32[randomInt(32)];
  return id;
}

export function randomSecret(bytes: number): string {
  return randomBytes(bytes).toString('base64');
}

export class Account {
  readonly accountId: string;
  readonly clock = new Clock();
  readonly users = new Map<string, User>();
  readonly roles = new Map<string, Role>();
  readonly accessKeys = new Map<string, AccessKey>();
  readonly sessions = new Map<string, Session>();
  readonly devices = new Map<string, MfaDevice>();
  /** Customer managed policies, by ARN (CreatePolicy, or a template's AWS::IAM::ManagedPolicy). */
  readonly managedPolicies = new Map<string, { arn: string; name: string; document: PolicyDocument }>();
  /** `serial|timeStep` of every TOTP code accepted: AWS refuses a code twice. */
  readonly usedCodes = new Set<string>();
  /**
   * Most items one List page holds whatever MaxItems asks (AWS may truncate early); lets tests
   * force paging on a client that sends no MaxItems.
   */
  listPageSize: number | undefined;
  /** Every TOTP seed issued (its device may since be deleted), for issuedSecrets(). */
  readonly seeds = new Set<string>();
  /** The client IDs (audiences) registered on the account's GitHub OIDC provider. */
  readonly oidcClientIds = new Set<string>(['sts.amazonaws.com']);
  /** The organization's SCPs that apply to this account (empty: not in an organization). */
  serviceControlPolicies: NamedPolicy[] = [];
  consistencyWindowMs = CONSISTENCY_WINDOW_MS;

  constructor(accountId: string) {
    this.accountId = accountId;
  }

  remember(secret: string): string {
    this.seeds.add(secret);
    return secret;
  }

  // IAM user names are unique case-insensitively; the map is keyed by the lower-cased name.
  user(name: string): User | undefined {
    return this.users.get(name.toLowerCase());
  }

  requireUser(name: string): User {
    const user = this.user(name);
    if (!user) throw errors.noSuchUser(name);
    return user;
  }

  createUser(
    name: string,
    options: { requireMfaForSelf?: boolean; path?: string; tags?: Record<string, string>; policies?: NamedPolicy[]; permissionsBoundary?: NamedPolicy } = {},
  ): User {
    if (this.user(name)) throw errors.userExists(name);
    const path = options.path ?? '/';
    const user: User = {
      name,
      path,
      userId: randomId('AIDA', 17),
      arn: `arn:aws:iam::${this.accountId}:user${path}${name}`,
      createDate: this.clock.date(),
      tags: { ...options.tags },
      policies: [...(options.policies ?? [])],
      requireMfaForSelf: options.requireMfaForSelf ?? true,
      ...(options.permissionsBoundary && { permissionsBoundary: options.permissionsBoundary }),
    };
    this.users.set(name.toLowerCase(), user);
    return user;
  }

  createAccessKey(userName: string): AccessKey {
    const user = this.requireUser(userName);
    const owned = this.accessKeysOf(user.name).length;
    if (owned >= MAX_ACCESS_KEYS_PER_USER) throw errors.limitExceeded('AccessKeysPerUser', MAX_ACCESS_KEYS_PER_USER);
    const key: AccessKey = {
      accessKeyId: randomId('AKIA', 16),
      secretAccessKey: randomSecret(30),
      userName: user.name,
      createDate: this.clock.date(),
    };
    this.accessKeys.set(key.accessKeyId, key);
    return key;
  }

  createRole(
    name: string,
    options: Pick<Role, 'trustPolicy'> & Partial<Pick<Role, 'policies' | 'path' | 'maxSessionDuration' | 'permissionsBoundary' | 'sessionPolicy'>>,
  ): Role {
    const path = options.path ?? '/';
    const role: Role = {
      name,
      path,
      roleId: randomId('AROA', 17),
      arn: `arn:aws:iam::${this.accountId}:role${path}${name}`,
      trustPolicy: options.trustPolicy,
      policies: [...(options.policies ?? [])],
      maxSessionDuration: options.maxSessionDuration ?? 3600,
      ...(options.permissionsBoundary && { permissionsBoundary: options.permissionsBoundary }),
      ...(options.sessionPolicy && { sessionPolicy: options.sessionPolicy }),
    };
    this.roles.set(name, role);
    return role;
  }

  roleByArn(arn: string): Role | undefined {
    return [...this.roles.values()].find((role) => role.arn === arn);
  }

  createSession(
    owner:
      | { kind: 'user-session'; userName: string; mfa: boolean }
      | { kind: 'role-session'; roleName: string; sessionName: string; sessionPolicy: PolicyDocument | undefined },
    durationSeconds: number,
  ): Session {
    const credentials = {
      accessKeyId: randomId('ASIA', 16),
      secretAccessKey: randomSecret(30),
      sessionToken: randomSecret(240),
      expiration: new Date(this.clock.now() + durationSeconds * 1000),
    };
    const session: Session = { ...credentials, ...owner };
    this.sessions.set(session.accessKeyId, session);
    return session;
  }

  devicesOf(userName: string): MfaDevice[] {
    const user = this.requireUser(userName);
    return [...this.devices.values()].filter((device) => device.userName === user.name);
  }

  /** The access keys of the user of exactly this name (as IAM stores it). */
  accessKeysOf(userName: string): AccessKey[] {
    return [...this.accessKeys.values()].filter((key) => key.userName === userName);
  }

  /** Create a virtual device (unassigned, as CreateVirtualMFADevice leaves it). */
  createVirtualDevice(name: string, path: string, seed: string): MfaDevice {
    const serial = `arn:aws:iam::${this.accountId}:mfa${path}${name}`;
    if (this.devices.has(serial)) throw errors.mfaDeviceExists();
    const device: MfaDevice = { serial, kind: 'virtual', seed };
    this.devices.set(serial, device);
    return device;
  }

  /** Enable (assign) a device for a user, enforcing AWS's per-user quota. */
  assignDevice(device: MfaDevice, userName: string): void {
    const user = this.requireUser(userName);
    if (device.userName) throw errors.mfaDeviceInUse();
    if (this.devicesOf(user.name).length >= MAX_MFA_DEVICES_PER_USER) {
      throw errors.limitExceeded('MFADevicesPerUser', MAX_MFA_DEVICES_PER_USER);
    }
    device.userName = user.name;
    device.lastUserName = user.name;
    device.enableDate = this.clock.date();
    this.devices.set(device.serial, device);
  }

  /** Deactivate: a virtual device stays (unassigned); hardware and FIDO registrations go. */
  unassignDevice(device: MfaDevice): void {
    if (device.kind === 'virtual') {
      delete device.userName;
      delete device.enableDate;
      device.deactivatedAt = this.clock.now();
    } else {
      this.devices.delete(device.serial);
    }
  }
}
