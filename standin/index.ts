// The stand-in's programmatic API: start a local IAM/STS/OIDC service on 127.0.0.1 and shape
// the account it simulates. Tests, the demo and the CLI use only this module.
import { randomInt } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Standin, StandinOptions } from './api.ts';
import { FULL_AWS_ACCESS } from './denial.ts';
import { errors } from './errors.ts';
import { Faults } from './faults.ts';
import { GITHUB_PATH, GitHubStandin, gitHubApi } from './github.ts';
import { createManagedPolicy } from './iam-lifecycle.ts';
import type { RequestLogEntry } from './log.ts';
import { Account, randomId } from './model.ts';
import type { MfaDevice } from './model.ts';
import { OidcIssuer } from './oidc.ts';
import {
  administratorAccess,
  checkIdentityPolicy,
  checkServiceControlPolicy,
  checkSessionPolicy,
  checkTrustPolicy,
  denyMfaChangesWithoutMfa,
  githubTrustPolicy,
  selfManagement,
} from './policy-documents.ts';
import type { NamedPolicy } from './policy-documents.ts';
import { createStandinServer } from './server.ts';
import { newSeed, totpCode } from './totp.ts';

export type { RoleOptions, Standin, StandinOptions, UserOptions } from './api.ts';
export { CONSISTENCY_WINDOW_MS } from './model.ts';
export type { FaultKind, FaultSpec } from './faults.ts';
export type * from './github.ts';
export type { RequestLogEntry } from './log.ts';
export { redact } from './log.ts';
export type { GithubJob } from './oidc.ts';
export type { NamedPolicy, PolicyDocument } from './policy-documents.ts';

export async function startStandin(options: StandinOptions = {}): Promise<Standin> {
  const account = new Account(options.accountId ?? '123456789012');
  if (options.consistencyWindowMs !== undefined) account.consistencyWindowMs = options.consistencyWindowMs;
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

  // Managed policies always have an ARN; AWS names it when they deny.
  const managed = (policy: NamedPolicy, arn: string): NamedPolicy => ({ ...policy, arn: policy.arn ?? arn });
  const boundary = (policy: NamedPolicy | undefined): NamedPolicy | undefined => {
    if (!policy) return undefined;
    checkIdentityPolicy(policy);
    return managed(policy, `arn:aws:iam::${account.accountId}:policy/${policy.name}`);
  };
  const organizationId = `o-${randomId('', 10).toLowerCase()}`;

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
    get consistencyWindowMs() {
      return account.consistencyWindowMs;
    },
    set consistencyWindowMs(ms) {
      account.consistencyWindowMs = ms;
    },
    setServiceControlPolicies(policies, scpOptions = {}) {
      const attached = [...(scpOptions.fullAwsAccess === false ? [] : [FULL_AWS_ACCESS]), ...policies].map((policy) =>
        managed(policy, `arn:aws:organizations::${account.accountId}:policy/${organizationId}/service_control_policy/p-${randomId('', 8).toLowerCase()}`),
      );
      attached.forEach(checkServiceControlPolicy);
      account.serviceControlPolicies = attached;
      return attached;
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
    github: gitHubApi(github, `${endpoint}${GITHUB_PATH}`),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets from SDK clients would otherwise hold close() open.
        server.closeAllConnections();
      }),
    createUser(name, userOptions = {}) {
      const { admin, mfaDenyPolicy, policies, permissionsBoundary, ...rest } = userOptions;
      const arn = `arn:aws:iam::${account.accountId}:user${rest.path ?? '/'}${name}`;
      const attached = [
        ...(policies ?? [admin ? administratorAccess() : selfManagement(arn, account.accountId)]),
        ...(mfaDenyPolicy ? [denyMfaChangesWithoutMfa()] : []),
      ];
      attached.forEach(checkIdentityPolicy);
      const bounded = boundary(permissionsBoundary);
      const user = account.createUser(name, { ...rest, policies: attached, ...(bounded && { permissionsBoundary: bounded }) });
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
      const { admin, subject, audience, trustPolicy, policies, mfaDenyPolicy, maxSessionDuration, permissionsBoundary, sessionPolicy } = roleOptions;
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
        ...(permissionsBoundary && { permissionsBoundary: boundary(permissionsBoundary)! }),
        ...(sessionPolicy && { sessionPolicy: checkSessionPolicy(sessionPolicy) }),
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
