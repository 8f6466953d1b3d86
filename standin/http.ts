// What the HTTP front's handlers share: their dependencies, answering with AWS's headers, and
// logging each request.
import type { ServerResponse } from 'node:http';
import type { Faults } from './faults.ts';
import type { GitHubStandin } from './github.ts';
import type { RequestLogEntry } from './log.ts';
import type { Account } from './model.ts';
import type { OidcIssuer } from './oidc.ts';

export interface ServerDeps {
  account: Account;
  oidc: OidcIssuer;
  faults: Faults;
  github: GitHubStandin;
  log: RequestLogEntry[];
  onRequest?: (entry: RequestLogEntry) => void;
}

export function send(
  res: ServerResponse,
  deps: ServerDeps,
  status: number,
  contentType: string | undefined,
  body: string,
  requestId: string,
  extraHeaders: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...(contentType !== undefined && { 'Content-Type': contentType }),
    'Content-Length': Buffer.byteLength(body),
    'x-amzn-RequestId': requestId,
    ...extraHeaders,
    // The service's clock, so an SDK corrects its skew as it would against AWS.
    Date: deps.account.clock.date().toUTCString(),
  });
  res.end(body);
}

export function record(deps: ServerDeps, entry: RequestLogEntry): void {
  deps.log.push(entry);
  deps.onRequest?.(entry);
}
