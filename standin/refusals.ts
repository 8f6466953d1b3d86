// The AWS error a fault answers with instead of processing the call, or undefined for faults that
// do something else (reset, slow, hold, …). Kept apart from the server so the words live beside
// the other errors and the server only decides when.
import { decodeJwt } from 'jose';
import { AwsError, errors } from './errors.ts';
import type { TakenFault } from './faults.ts';
import type { Account } from './model.ts';
import type { Params } from './params.ts';
import type { Service } from './xml.ts';

/** The `exp` of the call's web identity token, or a second ago when it has none that decodes. */
function tokenExpiry(params: Params, nowSeconds: number): number {
  try {
    const { exp } = decodeJwt(params.get('WebIdentityToken') ?? '');
    if (typeof exp === 'number') return exp;
  } catch {
    // not a JWT: fall through
  }
  return nowSeconds - 1;
}

export function refusalFor(fault: TakenFault, service: Service, account: Account, params: Params): AwsError | undefined {
  switch (fault.kind) {
    case 'throttle':
      return errors.throttling();
    case 'service-failure':
      // ServiceFailure is IAM's own 500; STS declares none and answers the common InternalFailure.
      return service === 'iam' ? errors.serviceFailure() : errors.internalFailure();
    case 'temporarily-unmodifiable':
      return errors.entityTemporarilyUnmodifiable();
    case 'concurrent-modification':
      return errors.concurrentModification();
    case 'idp-key-unavailable':
      return errors.idpKeyUnavailable();
    case 'idp-communication-error':
      return errors.idpCommunicationError();
    case 'region-disabled':
      return errors.regionDisabled(account.accountId);
    case 'expired-web-identity-token': {
      // As STS answers a token whose exp has passed: the clock is moved past it for this answer only.
      const now = Math.floor(account.clock.now() / 1000);
      const exp = tokenExpiry(params, now);
      return errors.expiredWebIdentityToken(Math.max(now, exp + 1), exp);
    }
    case 'error': {
      if (!fault.error) return undefined;
      const { code, status, message } = fault.error;
      return new AwsError(code, status, message, status >= 500 ? 'Receiver' : 'Sender');
    }
    default:
      return undefined;
  }
}
