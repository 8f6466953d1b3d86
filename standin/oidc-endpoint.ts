// The runner's OIDC token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL): a GitHub-shaped ID token for
// the request token, faults on demand under the action name 'GetIDToken'.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { record, send } from './http.ts';
import type { ServerDeps } from './http.ts';
import type { RequestLogEntry } from './log.ts';

export async function handleOidcToken(deps: ServerDeps, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const requestId = randomUUID();
  const audience = url.searchParams.get('audience') ?? `https://github.com/${String(deps.oidc.claims['repository_owner'])}`;
  const entry: RequestLogEntry = {
    time: deps.account.clock.date().toISOString(),
    action: 'GetIDToken',
    service: 'oidc',
    identity: 'anonymous',
    mfa: false,
    params: { audience },
    outcome: 'ok',
    status: 200,
  };
  if (req.method !== 'GET' || !deps.oidc.authorized(req.headers.authorization)) {
    record(deps, { ...entry, outcome: 'Unauthorized', status: 401 });
    send(res, deps, 401, 'application/json', JSON.stringify({ message: 'Unauthorized' }), requestId);
    return;
  }
  const fault = deps.faults.take('GetIDToken');
  if (fault) entry.fault = fault.kind;
  if (fault?.kind === 'black-hole' || fault?.kind === 'reset') {
    record(deps, { ...entry, outcome: fault.kind, status: 0 });
    if (fault.kind === 'reset') req.socket.destroy();
    return;
  }
  if (fault?.kind === 'error' || fault?.kind === 'service-failure' || fault?.kind === 'throttle') {
    const { status, message } =
      fault.error ?? (fault.kind === 'throttle' ? { status: 429, message: 'Too many requests' } : { status: 500, message: 'Internal error' });
    record(deps, { ...entry, outcome: 'error', status });
    send(res, deps, status, 'application/json', JSON.stringify({ message }), requestId);
    return;
  }
  if (fault?.kind === 'slow') await sleep(fault.delayMs);
  if (fault?.kind === 'hold') await fault.until;
  const token = await deps.oidc.issueToken({ aud: audience });
  record(deps, entry);
  send(res, deps, 200, 'application/json', JSON.stringify({ count: 1, value: token }), requestId);
}
