// The stand-in's programmatic API, its types: what startStandin() takes and returns, and how tests
// describe the users and roles of the account it simulates.
import type { GitHubApi } from './github.ts';
import type { FaultSpec } from './faults.ts';
import type { RequestLogEntry } from './log.ts';
import type { Clock } from './model.ts';
import type { Claims, GithubJob } from './oidc.ts';
import type { NamedPolicy, PolicyDocument } from './policy-documents.ts';

export interface StandinOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  accountId?: string;
  /** Called after each request is logged (the CLI prints them, redacted). */
  onRequest?: (entry: RequestLogEntry) => void;
  /**
   * IAM's eventual consistency: for this many ms (service clock) after a deactivation,
   * DeleteVirtualMFADevice answers DeleteConflict. 0 is none. Default CONSISTENCY_WINDOW_MS (250),
   * short enough for tests; the action waits it out (model.ts).
   */
  consistencyWindowMs?: number;
}

/**
 * Who a user is and what it may do. Without `policies`, the shorthand decides: `admin` attaches
 * AdministratorAccess, otherwise the user may manage only itself; `mfaDenyPolicy` adds AWS's
 * sample deny of MFA changes without MFA. Every call is then decided by those documents.
 */
export interface UserOptions {
  admin?: boolean;
  requireMfaForSelf?: boolean;
  mfaDenyPolicy?: boolean;
  /** IAM path, e.g. `/people/` (default `/`). */
  path?: string;
  tags?: Record<string, string>;
  /** Identity policies; replaces the `admin`/self shorthand. */
  policies?: NamedPolicy[];
  /** A managed policy capping what the identity policies grant (without `arn`: arn:aws:iam::ACCOUNT:policy/NAME). */
  permissionsBoundary?: NamedPolicy;
}

/**
 * A role GitHub's OIDC provider may assume. Without `trustPolicy`, `subject` (StringLike on `sub`,
 * default `*`) and `audience` (StringEquals on `aud`, default `sts.amazonaws.com`) make one.
 * Without `policies`, `admin` attaches AdministratorAccess; `mfaDenyPolicy` adds the MFA deny.
 */
export interface RoleOptions {
  admin?: boolean;
  subject?: string;
  audience?: string;
  trustPolicy?: PolicyDocument;
  policies?: NamedPolicy[];
  mfaDenyPolicy?: boolean;
  /** Longest session AssumeRoleWithWebIdentity may ask for (default 3600). */
  maxSessionDuration?: number;
  /** As for a user: a managed policy capping the role's identity policies. */
  permissionsBoundary?: NamedPolicy;
  /**
   * The session policy each AssumeRoleWithWebIdentity is taken to pass when it passes no Policy
   * itself (as configure-aws-credentials' inline-session-policy would), so a run of the action can
   * meet "in a session policy" refusals.
   */
  sessionPolicy?: PolicyDocument;
}

export interface Standin {
  readonly endpoint: string;
  readonly accountId: string;
  /** Every request, in arrival order. */
  readonly requests: RequestLogEntry[];
  /** Cap on List page sizes (undefined: MaxItems, default 100), to force paging. */
  listPageSize: number | undefined;
  /** See StandinOptions.consistencyWindowMs; settable at any time (0 turns it off). */
  consistencyWindowMs: number;
  /**
   * Put the account in an organization whose SCPs are `policies`, plus FullAWSAccess as AWS
   * attaches it (unless `fullAwsAccess: false`: then only what they allow is allowed); [] and no
   * FullAWSAccess take it out again. Returns the attached SCPs, FullAWSAccess first when attached,
   * with their ARNs (made up when not given), which an explicit deny names.
   */
  setServiceControlPolicies(policies: NamedPolicy[], options?: { fullAwsAccess?: boolean }): NamedPolicy[];
  /** The service's clock (TOTP windows, credential and token expiry); `advance(ms)` moves it. */
  readonly clock: Clock;
  readonly oidc: {
    readonly requestUrl: string;
    readonly requestToken: string;
    readonly issuer: string;
    /** Claims the token endpoint puts in every token (sub, repository, actor, run_id, …); editable. */
    readonly claims: Claims;
    /** Issue tokens as GitHub would for this job (environment, reusable workflow, immutable sub, …). */
    runJob(job: Partial<GithubJob>): void;
    issueToken(claims?: Claims): Promise<string>;
  };
  readonly faults: {
    inject(spec: FaultSpec): void;
    clear(): void;
  };
  /** GitHub's REST API for the repository octo/app, at `apiUrl` (what GITHUB_API_URL names), and the scenario it serves. */
  readonly github: GitHubApi;
  close(): Promise<void>;
  createUser(name: string, options?: UserOptions): { arn: string; userId: string };
  /** Register another audience (client ID) on the account's GitHub OIDC provider. */
  addOidcClientId(clientId: string): void;
  createAccessKey(userName: string): { accessKeyId: string; secretAccessKey: string };
  /** An enabled virtual device (`assigned: false` leaves it unassigned, like a leftover). */
  addVirtualMfa(userName: string, deviceName: string, options?: { path?: string; assigned?: boolean }): { serial: string; seed: string };
  addHardwareMfa(userName: string, serial?: string): { serial: string; seed: string };
  addFidoKey(userName: string): { serial: string };
  /** Serials of the devices enabled for the user, in listing order. */
  devicesOf(userName: string): string[];
  /** Every virtual device in the account, assigned or not. */
  virtualDevices(): { serial: string; userName: string | undefined }[];
  /** The TOTP code for a seed at a time (default: the service's now). */
  totp(seed: string, atTimeMs?: number): string;
  createRole(name: string, options?: RoleOptions): { arn: string };
  /** A customer managed policy (arn:aws:iam::ACCOUNT:policy/NAME), for AttachUserPolicy. */
  createManagedPolicy(name: string, document: PolicyDocument): { arn: string };
  /** Every secret issued or held: secret keys, access key ids, session tokens, seeds, OIDC tokens. */
  issuedSecrets(): string[];
}
