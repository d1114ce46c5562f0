// Long lists are bounded: a paged list keeps at most MAX_PAGES pages in memory and on the
// page. Reading further down drops the top page (TanStack Query's `maxPages`), and scrolling
// back up reads it again. Pages are read below a cursor, so a page read again with the same
// cursor is the same page (what was posted since sits above the top one); each page's param
// carries the param of the page above it, which is how a dropped page is asked for again.

/** Where a page of a list was read from: its cursor, and the param of the page above it. */
export interface PageParam {
  readonly cursor: string | null;
  /** `null` for the top of the list. */
  readonly above: PageParam | null;
}

/** 15 pages of 20: 300 entries at most, far past what a reader scrolls through at a sitting. */
export const MAX_PAGES = 15;

export const TOP: PageParam = { cursor: null, above: null };

/** The paging options every tweet list spreads into `useInfiniteQuery`. */
export const pagedList = {
  initialPageParam: TOP,
  getNextPageParam: (last: { nextCursor: string | null }, _all: unknown, param: PageParam): PageParam | undefined =>
    last.nextCursor ? { cursor: last.nextCursor, above: param } : undefined,
  getPreviousPageParam: (_first: unknown, _all: unknown, param: PageParam): PageParam | undefined => param.above ?? undefined,
  maxPages: MAX_PAGES,
};

/**
 * Whether a paged list's first kept page is the top of the list: nothing was dropped above
 * it, so entries may be put on top. Lists paged without `pagedList` are always at their top.
 */
export function atTop(data: { pageParams?: readonly unknown[] }): boolean {
  const first = data.pageParams?.[0];
  return !(typeof first === 'object' && first !== null && (first as PageParam).above !== null);
}
