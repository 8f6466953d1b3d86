// The stand-in's programmatic API: start a local IAM/STS/OIDC service on 127.0.0.1 and shape
// the account it simulates. Tests, the demo and the CLI use only this module.
import { randomInt } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { errors } from './errors.ts';
import { Faults } from './faults.ts';
import { GITHUB_PATH, GitHubStandin } from './github.ts';
import { createManagedPolicy } from './iam-lifecycle.ts';
import type { Permissions, PullRequestSpec, RunApprovalSpec } from './github.ts';
import type { FaultSpec } from './faults.ts';
import type { RequestLogEntry } from './log.ts';
import { Account, randomId } from './model.ts';
import type { Clock, MfaDevice } from './model.ts';
import { OidcIssuer } from './oidc.ts';
import type { Claims, GithubJob } from './oidc.ts';
import { administratorAccess, checkIdentityPolicy, checkTrustPolicy, denyMfaChangesWithoutMfa, githubTrustPolicy, selfManagement } from './policy-documents.ts';
import type { NamedPolicy, PolicyDocument } from './policy-documents.ts';
import { createStandinServer } from './server.ts';
import { newSeed, totpCode } from './totp.ts';

export type { FaultKind, FaultSpec } from './faults.ts';
export type { Permissions, PullRequestSpec, ReviewSpec, RunApprovalSpec } from './github.ts';
export type { RequestLogEntry } from './log.ts';
export { redact } from './log.ts';
export type { GithubJob } from './oidc.ts';
export type { NamedPolicy, PolicyDocument } from './policy-documents.ts';

export interface StandinOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  accountId?: string;
  /** Called after each request is logged (the CLI prints them, redacted). */
  onRequest?: (entry: RequestLogEntry) => void;
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
}

export interface Standin {
  readonly endpoint: string;
  readonly accountId: string;
  /** Every request, in arrival order. */
  readonly requests: RequestLogEntry[];
  /** Cap on List page sizes (undefined: MaxItems, default 100), to force paging. */
  listPageSize: number | undefined;
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
  /** GitHub's REST API for the repository octo/app, at `apiUrl` (what GITHUB_API_URL names). */
  readonly github: {
    readonly apiUrl: string;
    /** A token with these permissions, like a job's GITHUB_TOKEN under `permissions:`. */
    issueToken(permissions: Permissions): string;
    /** The environment review log of a workflow run. */
    setRunApprovals(runId: number, approvals: RunApprovalSpec[]): void;
    addPullRequest(pull: PullRequestSpec): void;
    /** Most reviews per page, to force paging (undefined: as the client asks). */
    reviewPageSize: number | undefined;
  };
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

export async function startStandin(options: StandinOptions = {}): Promise<Standin> {
  const account = new Account(options.accountId ?? '123456789012');
  const faults = new Faults();
  const github = new GitHubStandin();
  const requests: RequestLogEntry[] = [];
  // The issuer URL names the port, so it is made once the server listens.
  let oidc: OidcIssuer | undefined;
  const server = createStandinServer({
    account,
    get oidc(): OidcIssuer {
      if (!oidc) throw new Error('OIDC issuer not ready');
      return oidc;
    },
    faults,
    github,
    log: requests,
    ...(options.onRequest && { onRequest: options.onRequest }),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const issuer = await OidcIssuer.create(endpoint, account.clock);
  oidc = issuer;

  const addDevice = (userName: string, device: MfaDevice): void => {
    if (account.devices.has(device.serial)) throw errors.mfaDeviceExists();
    account.assignDevice(device, userName);
  };

  return {
    endpoint,
    accountId: account.accountId,
    requests,
    clock: account.clock,
    get listPageSize() {
      return account.listPageSize;
    },
    set listPageSize(size) {
      account.listPageSize = size;
    },
    oidc: {
      requestUrl: issuer.requestUrl,
      requestToken: issuer.requestToken,
      issuer: issuer.issuer,
      claims: issuer.claims,
      runJob: (job) => issuer.runJob(job),
      issueToken: (claims) => issuer.issueToken(claims),
    },
    faults: {
      inject: (spec) => faults.inject(spec),
      clear: () => faults.clear(),
    },
    github: {
      apiUrl: `${endpoint}${GITHUB_PATH}`,
      issueToken: (permissions) => github.issueToken(permissions),
      setRunApprovals: (runId, approvals) => void github.runs.set(runId, approvals),
      addPullRequest: (pull) => void github.pulls.set(pull.number, pull),
      get reviewPageSize() {
        return github.pageSize;
      },
      set reviewPageSize(size) {
        github.pageSize = size;
      },
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets from SDK clients would otherwise hold close() open.
        server.closeAllConnections();
      }),
    createUser(name, userOptions = {}) {
      const { admin, mfaDenyPolicy, policies, ...rest } = userOptions;
      const arn = `arn:aws:iam::${account.accountId}:user${rest.path ?? '/'}${name}`;
      const attached = [
        ...(policies ?? [admin ? administratorAccess() : selfManagement(arn, account.accountId)]),
        ...(mfaDenyPolicy ? [denyMfaChangesWithoutMfa()] : []),
      ];
      attached.forEach(checkIdentityPolicy);
      const user = account.createUser(name, { ...rest, policies: attached });
      return { arn: user.arn, userId: user.userId };
    },
    addOidcClientId(clientId) {
      account.oidcClientIds.add(clientId);
    },
    createAccessKey(userName) {
      const { accessKeyId, secretAccessKey } = account.createAccessKey(userName);
      return { accessKeyId, secretAccessKey };
    },
    addVirtualMfa(userName, deviceName, deviceOptions = {}) {
      account.requireUser(userName);
      const device = account.createVirtualDevice(deviceName, deviceOptions.path ?? '/', account.remember(newSeed()));
      if (deviceOptions.assigned === false) {
        device.lastUserName = account.requireUser(userName).name;
      } else {
        try {
          account.assignDevice(device, userName);
        } catch (error) {
          account.devices.delete(device.serial);
          throw error;
        }
      }
      return { serial: device.serial, seed: device.seed! };
    },
    // Hardware TOTP tokens have serials like GAHT12345678.
    addHardwareMfa(userName, serial = `GAHT${randomInt(10_000_000, 100_000_000)}`) {
      const device: MfaDevice = { serial, kind: 'hardware', seed: account.remember(newSeed()) };
      addDevice(userName, device);
      return { serial, seed: device.seed! };
    },
    addFidoKey(userName) {
      const user = account.requireUser(userName);
      const serial = `arn:aws:iam::${account.accountId}:u2f/user/${user.name}/fidosecuritykey-${randomId('', 26)}`;
      addDevice(user.name, { serial, kind: 'fido' });
      return { serial };
    },
    devicesOf: (userName) => account.devicesOf(userName).map((device) => device.serial),
    virtualDevices: () =>
      [...account.devices.values()].filter((device) => device.kind === 'virtual').map((device) => ({ serial: device.serial, userName: device.userName })),
    totp: (seed, atTimeMs) => totpCode(seed, atTimeMs ?? account.clock.now()),
    createRole(name, roleOptions = {}) {
      const { admin, subject, audience, trustPolicy, policies, mfaDenyPolicy, maxSessionDuration } = roleOptions;
      // The shorthand's audience is also registered on the provider, as it must be for STS to accept it at all.
      if (audience !== undefined) account.oidcClientIds.add(audience);
      const trust = trustPolicy ?? githubTrustPolicy(account.accountId, subject ?? '*', audience ?? 'sts.amazonaws.com');
      checkTrustPolicy(trust);
      const attached = [...(policies ?? (admin ? [administratorAccess()] : [])), ...(mfaDenyPolicy ? [denyMfaChangesWithoutMfa()] : [])];
      attached.forEach(checkIdentityPolicy);
      const role = account.createRole(name, {
        trustPolicy: trust,
        policies: attached,
        ...(maxSessionDuration !== undefined && { maxSessionDuration }),
      });
      return { arn: role.arn };
    },
    createManagedPolicy: (name, document) => createManagedPolicy(account, name, document),
    issuedSecrets() {
      const secrets: string[] = [issuer.requestToken, ...issuer.issued, ...account.seeds, ...github.tokens.keys()];
      for (const key of account.accessKeys.values()) secrets.push(key.accessKeyId, key.secretAccessKey);
      for (const session of account.sessions.values()) {
        secrets.push(session.accessKeyId, session.secretAccessKey, session.sessionToken);
      }
      return secrets;
    },
  };
}
