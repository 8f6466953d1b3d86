// Who is calling: every signed request is attributed to an IAM user's long-term key, a session of
// a user from GetSessionToken (with or without MFA), or an assumed-role session.
import { errors } from './errors.ts';
import type { Account, Role, User } from './model.ts';
import type { PolicyDocument } from './policy-documents.ts';
import { checkAuthorization, header, verifySignature } from './sigv4.ts';
import type { ReceivedRequest } from './sigv4.ts';
import type { Service } from './xml.ts';

export type Identity =
  | { kind: 'user'; user: User; accessKeyId: string; mfa: false }
  | { kind: 'user-session'; user: User; accessKeyId: string; mfa: boolean }
  | { kind: 'role-session'; role: Role; sessionName: string; accessKeyId: string; mfa: false; sessionPolicy: PolicyDocument | undefined }
  | { kind: 'anonymous'; mfa: false };

export const ANONYMOUS: Identity = { kind: 'anonymous', mfa: false };

export function arnOf(identity: Identity, accountId: string): string {
  switch (identity.kind) {
    case 'user':
    case 'user-session':
      return identity.user.arn;
    case 'role-session':
      return `arn:aws:sts::${accountId}:assumed-role/${identity.role.name}/${identity.sessionName}`;
    case 'anonymous':
      return 'anonymous';
  }
}

/** Authenticate a request that must be signed for `service`; throws the AWS error otherwise. */
export async function authenticate(account: Account, request: ReceivedRequest, service: Service): Promise<Identity> {
  const auth = checkAuthorization(request, service, account.clock.now());
  const token = header(request, 'x-amz-security-token');

  const key = account.accessKeys.get(auth.accessKeyId);
  if (key) {
    // A long-term key never carries a session token.
    if (token !== undefined) throw errors.invalidClientTokenId();
    await verifySignature(request, auth, key.secretAccessKey);
    return { kind: 'user', user: account.requireUser(key.userName), accessKeyId: key.accessKeyId, mfa: false };
  }

  const session = account.sessions.get(auth.accessKeyId);
  if (!session || token !== session.sessionToken) throw errors.invalidClientTokenId();
  await verifySignature(request, auth, session.secretAccessKey);
  if (session.expiration.getTime() <= account.clock.now()) throw errors.expiredToken();
  if (session.kind === 'user-session') {
    const identity: Identity = { kind: 'user-session', user: account.requireUser(session.userName), accessKeyId: session.accessKeyId, mfa: session.mfa };
    // GetSessionToken credentials without MFA cannot call IAM at all; AWS answers as for an unknown token.
    if (service === 'iam' && !session.mfa) throw errors.invalidClientTokenId();
    return identity;
  }
  const role = account.roles.get(session.roleName);
  if (!role) throw errors.invalidClientTokenId();
  return { kind: 'role-session', role, sessionName: session.sessionName, accessKeyId: session.accessKeyId, mfa: false, sessionPolicy: session.sessionPolicy };
}
