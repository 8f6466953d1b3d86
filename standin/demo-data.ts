// The demo account: an admin role for the OIDC path, an administrator `alice` with two devices,
// and a self-service `bob` who must step up with his own device. Printed by the CLI as the
// recipe for a manual run.
import type { Standin } from './index.ts';

export interface DemoUser {
  arn: string;
  accessKeyId: string;
  secretAccessKey: string;
  devices: { serial: string; kind: 'virtual' | 'hardware'; seed: string }[];
}

export interface DemoData {
  endpoint: string;
  accountId: string;
  region: string;
  role: { name: string; arn: string; subject: string; audience: string };
  oidc: { requestUrl: string; requestToken: string; subject: string };
  users: { alice: DemoUser; bob: DemoUser };
}

export function seedDemo(standin: Standin): DemoData {
  const subject = 'repo:octo/app:*';
  const role = standin.createRole('gha-mfa-admin', { admin: true, subject });

  const alice = standin.createUser('alice', { admin: true });
  const aliceKey = standin.createAccessKey('alice');
  const aliceVirtual = standin.addVirtualMfa('alice', 'alice-phone');
  const aliceHardware = standin.addHardwareMfa('alice');

  const bob = standin.createUser('bob', { requireMfaForSelf: true });
  const bobKey = standin.createAccessKey('bob');
  const bobVirtual = standin.addVirtualMfa('bob', 'bob-phone');

  return {
    endpoint: standin.endpoint,
    accountId: standin.accountId,
    region: 'us-east-1',
    role: { name: 'gha-mfa-admin', arn: role.arn, subject, audience: 'sts.amazonaws.com' },
    oidc: {
      requestUrl: standin.oidc.requestUrl,
      requestToken: standin.oidc.requestToken,
      subject: String(standin.oidc.claims['sub']),
    },
    users: {
      alice: {
        arn: alice.arn,
        ...aliceKey,
        devices: [
          { kind: 'virtual', ...aliceVirtual },
          { kind: 'hardware', ...aliceHardware },
        ],
      },
      bob: { arn: bob.arn, ...bobKey, devices: [{ kind: 'virtual', ...bobVirtual }] },
    },
  };
}
