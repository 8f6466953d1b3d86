// AWS Query-protocol response bodies. A result is a plain tree: objects become elements in key
// order, arrays become <member> lists (AWS's list shape), Dates ISO-8601 without milliseconds as
// IAM and STS print them, byte arrays base64 (how Query blobs such as Base32StringSeed travel).
import type { AwsError } from './errors.ts';

export type XmlValue = string | number | boolean | Date | Uint8Array | undefined | XmlValue[] | { [key: string]: XmlValue };

export const NAMESPACES = {
  iam: 'https://iam.amazonaws.com/doc/2010-05-08/',
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
} as const;

export type Service = keyof typeof NAMESPACES;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function text(value: string | number | boolean | Date | Uint8Array): string {
  if (value instanceof Date) return isoSeconds(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return escapeXml(String(value));
}

export function renderValue(value: XmlValue): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((item) => `<member>${renderValue(item)}</member>`).join('');
  if (typeof value === 'object' && !(value instanceof Date) && !(value instanceof Uint8Array)) {
    return Object.entries(value)
      .filter(([, child]) => child !== undefined)
      .map(([name, child]) => `<${name}>${renderValue(child)}</${name}>`)
      .join('');
  }
  return text(value);
}

/** `<XResponse><XResult>…</XResult><ResponseMetadata>…</ResponseMetadata></XResponse>`; no Result element for void actions. */
export function renderResult(service: Service, action: string, result: XmlValue, requestId: string): string {
  const body = result === undefined ? '' : `<${action}Result>${renderValue(result)}</${action}Result>`;
  return (
    `<${action}Response xmlns="${NAMESPACES[service]}">${body}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`
  );
}

export function renderError(service: Service, error: AwsError, requestId: string): string {
  return (
    `<ErrorResponse xmlns="${NAMESPACES[service]}"><Error><Type>${error.type}</Type>` +
    `<Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}
