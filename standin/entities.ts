// What the simulated account holds: users, roles, keys, sessions and MFA devices, as plain records.
// model.ts keeps them and enforces AWS's invariants on them.
import type { NamedPolicy, PolicyDocument } from './policy-documents.ts';

export interface User {
  name: string;
  path: string;
  userId: string;
  arn: string;
  createDate: Date;
  /** Tags, as iam:ResourceTag/KEY and aws:PrincipalTag/KEY see them. */
  tags: Record<string, string>;
  /** Identity policies attached to the user, evaluated by policy.ts. */
  policies: NamedPolicy[];
  /** AWS's own rule: changing one's own MFA needs an MFA-authenticated session. */
  requireMfaForSelf: boolean;
  /** The managed policy that caps what the identity policies grant. */
  permissionsBoundary?: NamedPolicy;
}

export interface Role {
  name: string;
  path: string;
  roleId: string;
  arn: string;
  /** Who may assume the role: the trust policy AssumeRoleWithWebIdentity evaluates. */
  trustPolicy: PolicyDocument;
  /** Identity policies attached to the role, evaluated for every call its sessions make. */
  policies: NamedPolicy[];
  maxSessionDuration: number;
  permissionsBoundary?: NamedPolicy;
  /** The session policy every session is taken to carry when AssumeRoleWithWebIdentity passes none. */
  sessionPolicy?: PolicyDocument;
}

export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
  userName: string;
  createDate: Date;
}

export type Session =
  | { kind: 'user-session'; accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: Date; userName: string; mfa: boolean }
  | {
      kind: 'role-session';
      accessKeyId: string;
      secretAccessKey: string;
      sessionToken: string;
      expiration: Date;
      roleName: string;
      sessionName: string;
      sessionPolicy: PolicyDocument | undefined;
    };

export type DeviceKind = 'virtual' | 'hardware' | 'fido';

export interface MfaDevice {
  serial: string;
  kind: DeviceKind;
  /** Base32 TOTP seed; FIDO keys have none. */
  seed?: string;
  /** The user it is enabled for; a virtual device outlives its assignment. */
  userName?: string;
  /** Last user it was enabled for, so deleting a leftover device can be attributed. */
  lastUserName?: string;
  enableDate?: Date;
  /** When (service clock, ms) it was last deactivated: IAM still sees it in use for a while. */
  deactivatedAt?: number;
}
