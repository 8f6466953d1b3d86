// The account every contract case starts from, fresh for each (a stand-in starts in ~50 ms), and
// the ways a case reaches it: the real SDK clients (their raw answers captured) or a hand-signed
// request for what no SDK would send.
import type { IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleWithWebIdentityCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import type { STSClient } from '@aws-sdk/client-sts';
import { startStandin } from '../../standin/index.ts';
import type { Standin } from '../../standin/index.ts';
import { iamAs, keysOf, rawResponse, signedRequest, stsAs } from '../../standin/sdk.ts';
import type { Keys } from '../../standin/sdk.ts';

export interface Answer {
  status: number;
  body: string;
}

export interface Device {
  serial: string;
  seed: string;
}

export interface World {
  standin: Standin;
  /** `root-admin`: AdministratorAccess, no MFA rule for itself. */
  admin: Keys;
  /** `bob`: manages only himself, his virtual device `phone`. */
  bob: Keys;
  phone: Device;
  /** `alice`: no keys; a virtual and a hardware device. */
  alice: { virtual: Device; hardware: Device };
  /** `mallory`: keys, no policy at all. */
  mallory: Keys;
  /** `gha-admin`: AdministratorAccess, trusts the stand-in's OIDC issuer for any subject. */
  roleArn: string;
  iam(keys: Keys, options?: { systemClockOffset?: number }): IAMClient;
  sts(keys?: Keys, options?: { systemClockOffset?: number }): STSClient;
  /** Send with the SDK and capture the HTTP answer as it came (the SDK still parses it). */
  send(client: IAMClient | STSClient, command: object): Promise<Answer>;
  /** A request signed by hand: for what no SDK sends (a bad number, an unknown Action). */
  signed(service: 'iam' | 'sts', keys: Keys, body: string): Promise<Answer>;
  /** An unsigned POST, with any headers. */
  unsigned(body: string, headers?: Record<string, string>): Promise<Answer>;
  /** Credentials of a gha-admin role session, optionally with a session policy. */
  roleSession(policy?: string): Promise<Keys>;
  /** An MFA session of bob's, stepped up with his phone. */
  bobWithMfa(): Promise<Keys>;
}

export async function world(): Promise<World> {
  const standin = await startStandin();
  standin.createUser('root-admin', { admin: true, requireMfaForSelf: false });
  standin.createUser('bob');
  standin.createUser('alice');
  standin.createUser('mallory', { policies: [] });
  const roleArn = standin.createRole('gha-admin', { admin: true }).arn;
  const w: World = {
    standin,
    admin: standin.createAccessKey('root-admin'),
    bob: standin.createAccessKey('bob'),
    phone: standin.addVirtualMfa('bob', 'bob-phone'),
    alice: { virtual: standin.addVirtualMfa('alice', 'alice-phone'), hardware: standin.addHardwareMfa('alice') },
    mallory: standin.createAccessKey('mallory'),
    roleArn,
    iam: (keys, options = {}) => iamAs(standin, keys, options),
    sts: (keys, options = {}) => stsAs(standin, keys, options),
    send: async (client, command) => {
      const { status, body } = await rawResponse(client, command);
      return { status, body };
    },
    signed: async (service, keys, body) => {
      const { status, text } = await signedRequest(standin, { keys, body, service });
      return { status, body: text };
    },
    unsigned: async (body, headers = {}) => {
      const response = await fetch(standin.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...headers },
        body,
      });
      return { status: response.status, body: await response.text() };
    },
    roleSession: async (policy) => {
      const result = await stsAs(standin).send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: roleArn,
          RoleSessionName: 'contract',
          WebIdentityToken: await standin.oidc.issueToken(),
          ...(policy !== undefined && { Policy: policy }),
        }),
      );
      return keysOf(result.Credentials);
    },
    bobWithMfa: async () => {
      const { Credentials } = await stsAs(standin, w.bob).send(
        new GetSessionTokenCommand({ SerialNumber: w.phone.serial, TokenCode: standin.totp(w.phone.seed) }),
      );
      return keysOf(Credentials);
    },
  };
  return w;
}
