// SigV4 verification by recomputing the signature with @smithy/signature-v4 over exactly what the
// client signed (DESIGN.md section 6): only the SignedHeaders, values as received, host with its
// port, the signer's own checksum header off, time from x-amz-date, our own body hash checked
// against x-amz-content-sha256, and a constant-time comparison.
import { createHash, timingSafeEqual } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { errors } from './errors.ts';

export interface Authorization {
  accessKeyId: string;
  scopeDate: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  /** Epoch ms of x-amz-date. */
  signingTime: number;
}

/** What the server received, before any interpretation. */
export interface ReceivedRequest {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  /** Lower-cased name → values in arrival order (repeated headers kept apart). */
  headers: Map<string, string[]>;
  body: Buffer;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
const SKEW_LIMIT_MS = 15 * 60 * 1000;

export function header(request: ReceivedRequest, name: string): string | undefined {
  // Repeated headers are one comma-separated value, as SigV4 canonicalises them.
  return request.headers.get(name)?.join(',');
}

function authorizationFields(value: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const part of value.split(' ').slice(1).join('').split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return fields;
}

/**
 * Check a request's Authorization header up to, not including, the key lookup, in the order and
 * words of AWS's front end (captured from DynamoDB, which shares it, in dynalite's notes): missing
 * parts (all named at once), the date's form, the 15-minute window, `host` signed, the algorithm,
 * the credential's five elements, then its service, terminator and date together.
 */
export function checkAuthorization(request: ReceivedRequest, service: string, nowMs: number): Authorization {
  const value = header(request, 'authorization')?.trim();
  if (value === undefined || !value.startsWith('AWS4-')) throw errors.missingAuthenticationToken();
  const fields = authorizationFields(value);
  // AWS also takes an HTTP Date header in place of x-amz-date; the stand-in does not, because
  // @smithy/signature-v4 drops `date` from what it signs, so such a request could never verify.
  const xAmzDate = header(request, 'x-amz-date');

  let missing = '';
  for (const name of ['Credential', 'Signature', 'SignedHeaders']) {
    if (!fields.get(name)) missing += `Authorization header requires '${name}' parameter. `;
  }
  if (xAmzDate === undefined) {
    missing += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
  }
  if (missing) throw errors.incompleteSignature(`${missing}Authorization=${value}`);

  const signingTime = parseAmzDate(xAmzDate!);
  if (signingTime === undefined) {
    throw errors.incompleteSignature(`Date must be in ISO-8601 'basic format'. Got '${xAmzDate}'. See http://en.wikipedia.org/wiki/ISO_8601`);
  }
  const amzDate = amzFormat(signingTime);
  if (signingTime < nowMs - SKEW_LIMIT_MS) {
    throw errors.signatureDoesNotMatch(`Signature expired: ${amzDate} is now earlier than ${amzFormat(nowMs - SKEW_LIMIT_MS)} (${amzFormat(nowMs)} - 15 min.)`);
  }
  if (signingTime > nowMs + SKEW_LIMIT_MS) {
    throw errors.signatureDoesNotMatch(
      `Signature not yet current: ${amzDate} is still later than ${amzFormat(nowMs + SKEW_LIMIT_MS)} (${amzFormat(nowMs)} + 15 min.)`,
    );
  }

  const signedHeaders = fields.get('SignedHeaders')!.split(';');
  if (!signedHeaders.includes('host')) throw errors.signatureDoesNotMatch("'Host' must be a 'SignedHeader' in the AWS Authorization.");
  const algorithm = value.split(' ')[0]!;
  if (algorithm !== ALGORITHM) {
    throw errors.incompleteSignature(`Unsupported AWS 'algorithm': '${algorithm}' (only ${ALGORITHM} for now). `);
  }

  const credential = fields.get('Credential')!;
  // Trailing slashes do not count as elements.
  const scope = credential.replace(/\/+$/, '').split('/');
  if (scope.length !== 5) {
    throw errors.incompleteSignature(`Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`);
  }
  const [accessKeyId, scopeDate, region, scopeService, terminator] = scope as [string, string, string, string, string];
  let wrongScope = '';
  if (scopeService !== service) wrongScope += `Credential should be scoped to correct service: '${service}'. `;
  if (terminator !== 'aws4_request') wrongScope += `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'. `;
  if (scopeDate !== amzDate.slice(0, 8)) {
    wrongScope +=
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ` +
      `'${scopeDate}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`;
  }
  if (wrongScope) throw errors.signatureDoesNotMatch(wrongScope);

  return { accessKeyId, scopeDate, region, service: scopeService, signedHeaders, signature: fields.get('Signature')!, signingTime };
}

/** `YYYYMMDDTHHMMSSZ` → epoch ms; `new Date()` does not accept this ISO-8601 basic form. */
export function parseAmzDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

export function sha256Hex(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}

/**
 * Verify the request's signature with `secretAccessKey` (after checkAuthorization); throws
 * SignatureDoesNotMatch.
 */
export async function verifySignature(request: ReceivedRequest, auth: Authorization, secretAccessKey: string): Promise<void> {
  // The signer trusts x-amz-content-sha256 and never reads the body: check the body ourselves.
  const contentSha = header(request, 'x-amz-content-sha256');
  if (contentSha !== undefined && contentSha !== sha256Hex(request.body)) throw errors.signatureDoesNotMatch();

  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const value = header(request, name);
    if (value === undefined) throw errors.signatureDoesNotMatch();
    headers[name] = value;
  }
  const signer = new SignatureV4({
    service: auth.service,
    region: auth.region,
    // No session token here: when the client signed x-amz-security-token it is among `headers`;
    // handing it to the signer would add it even to a request that did not sign it.
    credentials: { accessKeyId: auth.accessKeyId, secretAccessKey },
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: false,
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: request.method,
      protocol: 'http:',
      hostname: (headers['host'] ?? '').replace(/:\d+$/, ''),
      path: request.path,
      query: request.query,
      headers,
      body: request.body,
    }),
    { signingDate: new Date(auth.signingTime), signableHeaders: new Set(auth.signedHeaders) },
  );
  const recomputed = /Signature=([0-9a-f]+)/.exec(String(signed.headers['authorization'] ?? ''))?.[1] ?? '';
  const expected = Buffer.from(recomputed);
  const given = Buffer.from(auth.signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw errors.signatureDoesNotMatch();
}

function amzFormat(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}
