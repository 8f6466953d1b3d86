// The HTTP front: one server for IAM and STS (AWS Query protocol, told apart by Action) and the
// runner-like OIDC token endpoint. Reads the request, authenticates it, applies any injected
// fault, runs the action and answers in AWS's XML, logging every request.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { AwsError, errors } from './errors.ts';
import type { TakenFault } from './faults.ts';
import { GITHUB_PATH } from './github.ts';
import { record, send } from './http.ts';
import type { ServerDeps } from './http.ts';
import type { ActionHandler } from './handler.ts';
import { encodeMarker } from './marker.ts';
import { iamActions } from './iam.ts';
import { iamLifecycleActions } from './iam-lifecycle.ts';
import { ANONYMOUS, arnOf, authenticate } from './identity.ts';
import type { Identity } from './identity.ts';
import type { RequestLogEntry } from './log.ts';
import { randomId } from './model.ts';
import { TOKEN_PATH } from './oidc.ts';
import { handleOidcToken } from './oidc-endpoint.ts';
import { NO_ACTION_REDIRECT, queryParams } from './query.ts';
import { refusalFor } from './refusals.ts';
import type { ReceivedRequest } from './sigv4.ts';
import { stsActions, UNSIGNED_ACTIONS } from './sts.ts';
import { renderError, renderResult } from './xml.ts';
import type { Service } from './xml.ts';

const VERSIONS: Record<Service, string> = { iam: '2010-05-08', sts: '2011-06-15' };
const IAM_ACTIONS: Record<string, ActionHandler> = { ...iamLifecycleActions, ...iamActions };
const ACTIONS: Record<Service, Record<string, ActionHandler>> = { iam: IAM_ACTIONS, sts: stsActions };
const MAX_BODY_BYTES = 1024 * 1024;

export function createStandinServer(deps: ServerDeps): Server {
  return createServer((req, res) => {
    handle(deps, req, res).catch((error: unknown) => {
      // Only a bug gets here; answer like AWS's internal failure rather than hang the client.
      console.error('aws-standin: unexpected error', error);
      if (!res.headersSent) send(res, deps, 500, 'text/plain', 'internal error', randomUUID());
    });
  });
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function receivedHeaders(req: IncomingMessage): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!.toLowerCase();
    headers.set(name, [...(headers.get(name) ?? []), req.rawHeaders[i + 1]!]);
  }
  return headers;
}

/** The query string as the signer canonicalises it: a repeated name keeps all its values. */
function queryRecord(search: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const name of new Set(search.keys())) {
    const values = search.getAll(name);
    query[name] = values.length === 1 ? values[0]! : values;
  }
  return query;
}

/** STS answers every request with this header too (seen in captured responses), base64 of `1:REGION:S:MS:R:RANDOM`. */
function stsHeaders(deps: ServerDeps, region: string): Record<string, string> {
  const raw = `1:${region}:S:${deps.account.clock.now()}:R:${randomId('', 8)}`;
  return { 'x-amz-sts-extended-request-id': Buffer.from(raw).toString('base64') };
}

/** IAM and STS action names do not overlap; an unknown action is logged (and headed) as the signer's service. */
function serviceOf(action: string, scopeService: string | undefined): Service {
  if (Object.hasOwn(stsActions, action)) return 'sts';
  if (Object.hasOwn(IAM_ACTIONS, action)) return 'iam';
  return scopeService === 'sts' ? 'sts' : 'iam';
}

async function handle(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === TOKEN_PATH) return handleOidcToken(deps, req, res, url);
  if (url.pathname.startsWith(`${GITHUB_PATH}/`)) return deps.github.handle(req, res, url, (entry) => record(deps, entry), deps.account.clock.date());

  const received: ReceivedRequest = {
    method: req.method ?? 'POST',
    path: url.pathname,
    query: queryRecord(url.searchParams),
    headers: receivedHeaders(req),
    body,
  };
  const params = queryParams(url, received.headers.get('content-type')?.[0], body);
  const action = params.get('Action');
  params.delete('Action');
  const version = params.get('Version');
  params.delete('Version');

  const authorization = received.headers.get('authorization')?.[0] ?? '';
  const accessKeyId = /Credential=([^/,\s]+)\//.exec(authorization)?.[1];
  const [, region = 'us-east-1', scopeService] = /Credential=[^/]+\/[^/]+\/([^/]+)\/([^/]+)\//.exec(authorization) ?? [];
  const service = serviceOf(action ?? '', scopeService);
  const requestId = randomUUID();
  const serviceHeaders = service === 'sts' ? stsHeaders(deps, region) : {};
  const entry: RequestLogEntry = {
    time: deps.account.clock.date().toISOString(),
    action: action ?? '',
    service,
    identity: 'anonymous',
    ...(accessKeyId !== undefined && { accessKeyId }),
    mfa: false,
    params: Object.fromEntries(params),
    outcome: 'ok',
    status: 200,
  };

  if (action === undefined) {
    // Not an API call: AWS sends the browser to the product page, keeping any query string.
    record(deps, { ...entry, outcome: 'redirect', status: 302 });
    send(res, deps, 302, undefined, '', requestId, { Location: `${NO_ACTION_REDIRECT}${url.search}`, ...serviceHeaders });
    return;
  }

  let identity: Identity = ANONYMOUS;
  let loseResponse = false;
  let fault: TakenFault | undefined;
  let xml: string;
  try {
    const handler = Object.hasOwn(ACTIONS[service], action) ? ACTIONS[service][action] : undefined;
    if (!handler || version !== VERSIONS[service]) throw errors.invalidAction(action, version);
    if (!UNSIGNED_ACTIONS.has(action)) {
      identity = await authenticate(deps.account, received, service);
      entry.identity = arnOf(identity, deps.account.accountId);
      entry.mfa = identity.mfa;
    }

    fault = deps.faults.take(action);
    if (fault) entry.fault = fault.kind;
    if (fault?.kind === 'reset' || fault?.kind === 'black-hole') {
      record(deps, { ...entry, outcome: fault.kind, status: 0 });
      // A black hole keeps the connection open and silent until the server closes.
      if (fault.kind === 'reset') req.socket.destroy();
      return;
    }
    const refusal = fault && refusalFor(fault, service, deps.account, params);
    if (refusal) throw refusal;
    if (fault?.kind === 'slow') await sleep(fault.delayMs);
    if (fault?.kind === 'hold') await fault.until;
    loseResponse = fault?.kind === 'lose-response';

    const result = await handler({ account: deps.account, oidc: deps.oidc, identity, params });
    if (
      fault?.kind === 'repeat-marker' &&
      typeof result === 'object' &&
      result !== null &&
      !Array.isArray(result) &&
      !(result instanceof Date) &&
      !(result instanceof Uint8Array)
    ) {
      // A broken or hostile endpoint: always more to come, always from the same place.
      Object.assign(result, { IsTruncated: true, Marker: params.get('Marker') ?? encodeMarker(action, 0) });
    }
    xml = renderResult(service, action, result, requestId);
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    entry.outcome = error.code;
    entry.status = error.status;
    xml = renderError(service, error, requestId);
  }

  if (loseResponse) {
    // The call took effect; the client never learns it (how a resent GetSessionToken spends its code twice).
    record(deps, { ...entry, status: 0 });
    req.socket.destroy();
    return;
  }
  record(deps, entry);
  if (fault?.kind === 'drip') return drip(res, deps, entry.status, xml, requestId, serviceHeaders, fault.delayMs);
  send(res, deps, entry.status, 'text/xml', xml, requestId, serviceHeaders);
}

/** The answer, headers at once and then its body one byte every `intervalMs`: defeats any idle timeout. */
async function drip(
  res: ServerResponse,
  deps: ServerDeps,
  status: number,
  body: string,
  requestId: string,
  headers: Record<string, string>,
  intervalMs: number,
): Promise<void> {
  res.writeHead(status, {
    'Content-Type': 'text/xml',
    'Content-Length': Buffer.byteLength(body),
    'x-amzn-RequestId': requestId,
    ...headers,
    Date: deps.account.clock.date().toUTCString(),
  });
  res.flushHeaders();
  for (const byte of Buffer.from(body)) {
    if (res.destroyed) return;
    res.write(Buffer.of(byte));
    await sleep(intervalMs);
  }
  res.end();
}
