// Long lists are bounded: a paged list keeps at most MAX_PAGES pages in memory and on the
// page. Reading further down drops the top page (TanStack Query's `maxPages`), and scrolling
// back up reads it again. Pages are read below a cursor, so a page read again with the same
// cursor is the same page; each page's param carries the param of the page above it, which
// is how a dropped page is asked for again.
//
// The top page is the exception: it has no cursor, and what was posted since it was first read
// sits in it, pushing down what it held. Read again plainly it would end above the first page
// kept, and the entries between would be silently missing. So going back up, the top is read
// down until it meets that page (`reach`), and pages go from the bottom to keep MAX_ENTRIES;
// a list that moved by more than CATCH_UP_PAGES is cut below what was read, and continues from
// there. Either way nothing is skipped: the pages let go are read again on the way down.

import type { QueryClient, QueryKey } from '@tanstack/react-query';

/** Where a page of a list was read from: its cursor, and the param of the page above it. */
export interface PageParam {
  readonly cursor: string | null;
  /** `null` for the top of the list. */
  readonly above: PageParam | null;
  /** The top read again going back up: the first page kept, which it reads down to. */
  readonly reach?: Reach;
}

/** The first page kept below the top: where it was read from, and its entries. */
interface Reach {
  readonly cursor: string | null;
  readonly ids: readonly string[];
}

/** 15 pages of 20: 300 entries at most, far past what a reader scrolls through at a sitting. */
export const MAX_PAGES = 15;

/** The entries a list keeps: MAX_PAGES pages of 20. */
export const MAX_ENTRIES = MAX_PAGES * 20;

/** How far the top is read down, in pages, to meet the pages kept below it. */
export const CATCH_UP_PAGES = 10;

export const TOP: PageParam = { cursor: null, above: null };

/** The paging options every long list spreads into `useInfiniteQuery` (its `queryFn` calls `readPage`). */
export const pagedList = {
  initialPageParam: TOP,
  getNextPageParam: (last: { nextCursor: string | null }, _all: unknown, param: PageParam): PageParam | undefined =>
    last.nextCursor ? { cursor: last.nextCursor, above: param } : undefined,
  getPreviousPageParam: (first: Listed, _all: unknown, param: PageParam): PageParam | undefined => {
    const above = param.above;
    if (!above) return undefined;
    return above.cursor === null ? { ...above, reach: { cursor: param.cursor, ids: first.items.map((e) => e.id) } } : above;
  },
  maxPages: MAX_PAGES,
};

/** A page of any list: entries with ids, and the cursor below them. */
interface Listed {
  readonly items: readonly { readonly id: string }[];
  readonly nextCursor: string | null;
}

/**
 * A page of a paged list: `read` asks the server for the page below a cursor. Going back up
 * to the top, it goes on reading until it meets the first page kept (the entries both hold
 * are listed once: `listedTweets`, `listedGroups`), as one page. The top keeps its `reach`
 * once stored, so a refetch reads it the same way: more reads at most, never a gap.
 */
export async function readPage<P extends Listed>(
  ctx: { pageParam: PageParam; client: QueryClient; queryKey: QueryKey },
  read: (cursor: string | null) => Promise<P>,
): Promise<P> {
  const param = ctx.pageParam;
  const first = await read(param.cursor);
  const reach = param.reach;
  if (!reach) return first;
  // Met: the page read ends where the kept page begins (nothing new came), or shares an entry with it.
  const kept = new Set(reach.ids);
  const meets = (p: P) => p.nextCursor === null || p.nextCursor === reach.cursor || p.items.some((e) => kept.has(e.id));
  const items = [...first.items];
  let last: P = first;
  for (let pages = 1; !meets(last) && pages < CATCH_UP_PAGES; pages++) {
    last = await read(last.nextCursor);
    items.push(...last.items);
  }
  const merged: P = { ...first, items, nextCursor: last.nextCursor };
  // Once stored (a tick later), the list is made whole again below the top: too far to meet,
  // it ends with the top as read; otherwise, as the top now holds more than a page, pages go
  // from the bottom until it holds MAX_ENTRIES at most (read again on the way down).
  const gap = !meets(last);
  const { client, queryKey } = ctx;
  setTimeout(() =>
    client.setQueryData<{ pages: Listed[]; pageParams: PageParam[] }>(queryKey, (data) => {
      // Stored pages are copies (structural sharing): the top is known by its first entry and its end.
      if (!data || data.pages.length < 2 || !sameEnds(data.pages[0]!, merged)) return data;
      let keep = gap ? 1 : data.pages.length;
      const entries = (n: number) => data.pages.slice(0, n).reduce((sum, p) => sum + p.items.length, 0);
      while (keep > 1 && entries(keep) > MAX_ENTRIES) keep--;
      return keep === data.pages.length ? data : { pages: data.pages.slice(0, keep), pageParams: data.pageParams.slice(0, keep) };
    }),
  );
  return merged;
}

function sameEnds(a: Listed, b: Listed): boolean {
  return a.items.length === b.items.length && a.items[0]?.id === b.items[0]?.id && a.nextCursor === b.nextCursor;
}

/**
 * Whether a paged list's first kept page is the top of the list: nothing was dropped above
 * it, so entries may be put on top. Lists paged without `pagedList` are always at their top.
 */
export function atTop(data: { pageParams?: readonly unknown[] }): boolean {
  const first = data.pageParams?.[0];
  return !(typeof first === 'object' && first !== null && (first as PageParam).above !== null);
}
