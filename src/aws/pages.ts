// Following an IAM list's pages with the SDK's paginator, without trusting the endpoint to end
// them: a broken or hostile one could answer "more to come" forever, or hand back the same Marker.
// The paginator stops on a repeated or missing Marker (stopOnSameToken); a list that stopped while
// still saying "more to come" is incomplete, and acting on part of a list is refused.
import { ActionError } from '../errors.ts';

export interface ListLimits {
  /** The call, as messages name it: `iam:ListMFADevices`. */
  call: string;
  /** What the list holds, and AWS's own bound on it: `devices`, `a user has at most 8`. */
  items: string;
  bound: string;
  maxPages: number;
}

/** Every page, or an ActionError when the list does not end as AWS ends lists. */
export async function allPages<Page extends { IsTruncated?: boolean | undefined }>(pages: AsyncIterable<Page>, limits: ListLimits): Promise<Page[]> {
  const { call, items, bound, maxPages } = limits;
  const all: Page[] = [];
  for await (const page of pages) {
    all.push(page);
    if (all.length >= maxPages && page.IsTruncated) {
      throw new ActionError(`${call} still had more ${items} after ${maxPages} pages, but ${bound}; stopped listing.`);
    }
  }
  if (all.at(-1)?.IsTruncated) {
    throw new ActionError(`${call} said more ${items} follow but gave no new Marker to fetch them with (a missing or repeated Marker); stopped listing.`);
  }
  return all;
}
