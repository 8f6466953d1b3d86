// IAM's paging Marker: opaque to clients; here the list it belongs to and the offset of the next item.
import { errors } from './errors.ts';

export function encodeMarker(list: string, offset: number): string {
  return Buffer.from(JSON.stringify({ list, offset })).toString('base64');
}

/** The offset a Marker carries; a Marker from another list, or none of ours, is AWS's "Invalid Marker." */
export function decodeMarker(list: string, marker: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(marker, 'base64').toString('utf8')) as { list?: unknown; offset?: unknown };
    if (parsed.list === list && typeof parsed.offset === 'number' && Number.isInteger(parsed.offset) && parsed.offset >= 0) return parsed.offset;
  } catch {
    // fall through
  }
  throw errors.validation('Invalid Marker.');
}
