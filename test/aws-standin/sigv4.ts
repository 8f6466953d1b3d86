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

/** Parse `AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/aws4_request, SignedHeaders=a;b, Signature=hex`. */
export function parseAuthorization(value: string): Authorization {
  if (!value.startsWith(`${ALGORITHM} `)) {
    throw errors.incompleteSignature(`Unsupported AWS 'algorithm': '${value.split(' ')[0] ?? ''}'`);
  }
  const fields = new Map<string, string>();
  for (const part of value.slice(ALGORITHM.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  for (const [name, field] of [['Credential', credential], ['SignedHeaders', signedHeaders], ['Signature', signature]] as const) {
    if (!field) throw errors.incompleteSignature(`Authorization header requires '${name}' parameter. Authorization=${value}`);
  }
  const [accessKeyId, scopeDate, region, service, terminator, ...rest] = credential!.split('/');
  if (!accessKeyId || !scopeDate || !region || !service || terminator !== 'aws4_request' || rest.length > 0) {
    throw errors.incompleteSignature(`Credential should be scoped with a valid terminator: 'aws4_request'. `);
  }
  return { accessKeyId, scopeDate, region, service, signedHeaders: signedHeaders!.split(';'), signature: signature! };
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
 * Verify the request's signature with `secretAccessKey`; throws SignatureDoesNotMatch (or
 * IncompleteSignature for a request that cannot be checked at all). `nowMs` is the service's clock,
 * for AWS's 15-minute limit on signing time.
 */
export async function verifySignature(
  request: ReceivedRequest,
  auth: Authorization,
  secretAccessKey: string,
  nowMs: number,
): Promise<void> {
  const amzDate = header(request, 'x-amz-date');
  if (amzDate === undefined) {
    throw errors.incompleteSignature("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  const signingTime = parseAmzDate(amzDate);
  if (signingTime === undefined || !amzDate.startsWith(auth.scopeDate)) throw errors.signatureDoesNotMatch();

  // The signer trusts x-amz-content-sha256 and never reads the body: check the body ourselves.
  const contentSha = header(request, 'x-amz-content-sha256');
  if (contentSha !== undefined && contentSha !== sha256Hex(request.body)) throw errors.signatureDoesNotMatch();

  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const value = header(request, name);
    if (value === undefined) throw errors.signatureDoesNotMatch();
    headers[name] = value;
  }
  const hostHeader = headers['host'] ?? header(request, 'host') ?? '';
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
      hostname: hostHeader.replace(/:\d+$/, ''),
      path: request.path,
      query: request.query,
      headers,
      body: request.body,
    }),
    { signingDate: new Date(signingTime), signableHeaders: new Set(auth.signedHeaders) },
  );
  const recomputed = /Signature=([0-9a-f]+)/.exec(String(signed.headers['authorization'] ?? ''))?.[1] ?? '';
  const expected = Buffer.from(recomputed);
  const given = Buffer.from(auth.signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw errors.signatureDoesNotMatch();

  // Checked after the signature, as AWS reports a bad signature before a stale one.
  if (signingTime < nowMs - SKEW_LIMIT_MS) {
    throw errors.signatureDoesNotMatch(
      `Signature expired: ${amzDate} is now earlier than ${amzFormat(nowMs - SKEW_LIMIT_MS)} (${amzFormat(nowMs)} - 15 min.)`,
    );
  }
  if (signingTime > nowMs + SKEW_LIMIT_MS) {
    throw errors.signatureDoesNotMatch(
      `Signature not yet current: ${amzDate} is still later than ${amzFormat(nowMs + SKEW_LIMIT_MS)} (${amzFormat(nowMs)} + 15 min.)`,
    );
  }
}

function amzFormat(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}
