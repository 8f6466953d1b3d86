// Query-protocol parameters as AWS's front end reads them (captured from STS): from the query string
// and, only when the body is declared form-encoded, from the body (`+` is a space, as in any form);
// a name given twice keeps its first value. A request with no Action at all is not an API call:
// AWS redirects it to the product page.
import type { Params } from './params.ts';

export const NO_ACTION_REDIRECT = 'https://aws.amazon.com/iam';

function isFormEncoded(contentType: string | undefined): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

export function queryParams(url: URL, contentType: string | undefined, body: Buffer): Params {
  const params: Params = new Map();
  const add = (pairs: URLSearchParams): void => {
    for (const [name, value] of pairs) if (!params.has(name)) params.set(name, value);
  };
  add(url.searchParams);
  if (isFormEncoded(contentType)) add(new URLSearchParams(body.toString('utf8')));
  return params;
}
