// AWS Query-protocol response bodies, byte for byte as responses captured from STS look: two-space
// indentation, one element per line, a trailing newline, text escaped for &, < and > only (AWS
// leaves quotes and apostrophes alone, so a ValidationError reads `Value 'x' at 'userName'`).
// A result is a plain tree: objects become elements in key order, arrays become <member> lists
// (an empty list a self-closing element), Dates ISO-8601 without milliseconds, byte arrays base64
// (how Query blobs such as Base32StringSeed travel).
import type { AwsError } from './errors.ts';

export type XmlValue = string | number | boolean | Date | Uint8Array | undefined | XmlValue[] | { [key: string]: XmlValue };

export const NAMESPACES = {
  iam: 'https://iam.amazonaws.com/doc/2010-05-08/',
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
} as const;

/** The namespace of errors raised before any service is chosen (InvalidAction). */
export const AWS_FAULT_NAMESPACE = 'http://webservices.amazon.com/AWSFault/2005-15-09';

export type Service = keyof typeof NAMESPACES;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

export function escapeXml(text: string): string {
  return text.replace(/[&<>]/g, (c) => ENTITIES[c] ?? c);
}

export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function text(value: string | number | boolean | Date | Uint8Array): string {
  if (value instanceof Date) return isoSeconds(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return escapeXml(String(value));
}

function isStructure(value: XmlValue): value is { [key: string]: XmlValue } {
  return typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof Uint8Array);
}

/** One element named `name` holding `value`, indented by `depth` levels, each line ending in \n. */
function element(name: string, value: XmlValue, depth: number): string {
  const indent = '  '.repeat(depth);
  if (value === undefined) return '';
  if (Array.isArray(value)) {
    if (value.length === 0) return `${indent}<${name}/>\n`;
    return `${indent}<${name}>\n${value.map((item) => element('member', item, depth + 1)).join('')}${indent}</${name}>\n`;
  }
  if (isStructure(value)) {
    const children = Object.entries(value)
      .map(([child, childValue]) => element(child, childValue, depth + 1))
      .join('');
    return children === '' ? `${indent}<${name}/>\n` : `${indent}<${name}>\n${children}${indent}</${name}>\n`;
  }
  return `${indent}<${name}>${text(value)}</${name}>\n`;
}

/** `<XResponse><XResult>…</XResult><ResponseMetadata>…</ResponseMetadata></XResponse>`; no Result element for void actions. */
export function renderResult(service: Service, action: string, result: XmlValue, requestId: string): string {
  return (
    `<${action}Response xmlns="${NAMESPACES[service]}">\n` +
    element(`${action}Result`, result, 1) +
    element('ResponseMetadata', { RequestId: requestId }, 1) +
    `</${action}Response>\n`
  );
}

/** AWS's error body; an error without a message (MalformedInput) has no Message element at all. */
export function renderError(service: Service, error: AwsError, requestId: string): string {
  const namespace = error.faultNamespace ? AWS_FAULT_NAMESPACE : NAMESPACES[service];
  return (
    `<ErrorResponse xmlns="${namespace}">\n` +
    element('Error', { Type: error.type, Code: error.code, Message: error.message === '' ? undefined : error.message }, 1) +
    element('RequestId', requestId, 1) +
    `</ErrorResponse>\n`
  );
}
