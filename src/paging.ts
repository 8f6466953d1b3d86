// Following an IAM list's pages (IsTruncated/Marker) without trusting the endpoint to end them: a
// broken or hostile one could answer "more to come" forever, or hand back a Marker already followed.
import { ActionError } from './errors.ts';

export interface ListPage {
  IsTruncated?: boolean | undefined;
  Marker?: string | undefined;
}

export interface PagedList<Page extends ListPage> {
  /** The call, as messages name it: `iam:ListMFADevices`. */
  call: string;
  /** What the list holds, and AWS's own bound on it: `devices`, `a user has at most 8`. */
  items: string;
  bound: string;
  maxPages: number;
  fetch(marker: string | undefined): Promise<Page>;
}

/** Hands each page to `take` until it returns true (found) or the list ends; throws ActionError on a list that does not end. */
export async function followPages<Page extends ListPage>(list: PagedList<Page>, take: (page: Page) => boolean | void): Promise<void> {
  const { call, items, bound, maxPages } = list;
  const markers = new Set<string>();
  let marker: string | undefined;
  for (let pages = 1; ; pages++) {
    const page = await list.fetch(marker);
    if (take(page) === true || !page.IsTruncated) return;
    marker = page.Marker;
    if (marker === undefined || marker === '')
      throw new ActionError(`${call} said more ${items} follow but gave no Marker to fetch them with; stopped listing.`);
    if (markers.has(marker)) throw new ActionError(`${call} returned a Marker it had already returned (page ${pages}); stopped listing instead of looping.`);
    if (pages >= maxPages) throw new ActionError(`${call} still had more ${items} after ${maxPages} pages, but ${bound}; stopped listing.`);
    markers.add(marker);
  }
}
