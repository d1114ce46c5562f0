// Bounded lists (src/api/paging.ts): at most MAX_PAGES pages kept, the top ones dropped while
// reading down and read again, the same, while going back up, the top read down to what is kept
// (or the list cut below it); nothing put on a list whose top was dropped (it is read again
// from its top instead).
import { InfiniteQueryObserver, QueryClient, type InfiniteData, type QueryKey } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { listedTweets, prependToList, prependToPages } from '../src/api/cache';
import { atTop, CATCH_UP_PAGES, MAX_ENTRIES, MAX_PAGES, pagedList, readPage, TOP, type PageParam } from '../src/api/paging';
import type { Page, Tweet } from '../src/api/types';
import { makeTweet } from './helpers';

/** A list of 1,000 tweets, newest (999) first, read below a cursor (the last id read); `post` adds newer ones. */
function server() {
  const asked: (string | null)[] = [];
  let top = 1000;
  const readBelow = async (cursor: string | null): Promise<Page<Tweet>> => {
    asked.push(cursor);
    const below = cursor === null ? top : Number(cursor);
    const items = Array.from({ length: Math.min(20, below) }, (_, i) => makeTweet({ id: String(below - 1 - i) }));
    return { items, nextCursor: items.length === 20 && below > 20 ? items[19]!.id : null };
  };
  const read = (ctx: { pageParam: PageParam; client: QueryClient; queryKey: QueryKey }) => readPage(ctx, readBelow);
  return { asked, read, post: (n: number) => void (top += n) };
}

const ids = (data: InfiniteData<Page<Tweet>, unknown>) => data.pages.flatMap((p) => p.items.map((t) => Number(t.id)));
/** `length` ids counting down from `newest`: a list with nothing skipped. */
const downFrom = (newest: number, length: number) => Array.from({ length }, (_, i) => newest - i);

/** A bounded list of the `server()`'s tweets, its first page read. */
async function boundedList() {
  const qc = new QueryClient();
  const server_ = server();
  const key = ['tweets', 'list', 'test'];
  const observer = new InfiniteQueryObserver(qc, { queryKey: key, queryFn: server_.read, ...pagedList });
  const unsubscribe = observer.subscribe(() => {});
  await observer.refetch();
  const data = () => qc.getQueryData<InfiniteData<Page<Tweet>, PageParam>>(key)!;
  /** The ids shown, each once (`listedTweets`). */
  const listed = () => listedTweets(data().pages).map((t) => Number(t.id));
  return { ...server_, qc, key, observer, data, listed, unsubscribe };
}

const tick = () => new Promise((r) => setTimeout(r, 0));
const entries = (data: InfiniteData<Page<Tweet>, unknown>) => data.pages.reduce((n, p) => n + p.items.length, 0);

describe('a bounded list', () => {
  it('keeps MAX_PAGES pages, reads dropped ones again going up, and ends at its top', async () => {
    const { asked, observer, data, unsubscribe } = await boundedList();
    for (let i = 0; i < MAX_PAGES + 3; i++) await observer.fetchNextPage();
    expect(data().pages).toHaveLength(MAX_PAGES);
    // 4 pages of 20 dropped from the top, the rest in order with nothing skipped.
    expect(ids(data())).toEqual(downFrom(999 - 4 * 20, MAX_PAGES * 20));
    expect(atTop(data())).toBe(false);
    expect(observer.getCurrentResult().hasPreviousPage).toBe(true);

    // Back up: each dropped page comes back with the cursor it was first read with.
    const before = asked.length;
    for (let i = 0; i < 4; i++) await observer.fetchPreviousPage();
    expect(asked.slice(before)).toEqual([asked[3], asked[2], asked[1], asked[0]]);
    expect(ids(data())).toEqual(downFrom(999, MAX_PAGES * 20));
    expect(data().pageParams[0]).toMatchObject(TOP);
    expect(atTop(data())).toBe(true);
    expect(observer.getCurrentResult().hasPreviousPage).toBe(false);
    unsubscribe();
  });

  it('misses nothing going back up when newer tweets came meanwhile: the top is read down to the pages kept', async () => {
    const { observer, data, listed, post, unsubscribe } = await boundedList();
    for (let i = 0; i < MAX_PAGES + 1; i++) await observer.fetchNextPage();
    post(45); // 1000..1044: more than two pages' worth
    await observer.fetchPreviousPage();
    await observer.fetchPreviousPage();
    expect(atTop(data())).toBe(true);
    // Every tweet from the newest down to the bottom of what is kept, once and in order.
    const shown = listed();
    expect(shown[0]).toBe(1044);
    expect(shown).toEqual(downFrom(1044, shown.length));
    // The top now holds more than a page: pages go from the bottom, to keep at most MAX_ENTRIES.
    expect(entries(data())).toBeGreaterThan(MAX_ENTRIES);
    await tick();
    expect(entries(data())).toBeLessThanOrEqual(MAX_ENTRIES);
    const trimmed = listed();
    expect(trimmed).toEqual(shown.slice(0, trimmed.length));
    // …and come back, in order, reading on down.
    await observer.fetchNextPage();
    expect(listed()).toEqual(downFrom(1044, listed().length));
    expect(listed().length).toBeGreaterThan(trimmed.length);

    // A refetch after more came reads it all again, as contiguously.
    post(7);
    await observer.refetch();
    expect(listed()[0]).toBe(1051);
    expect(listed()).toEqual(downFrom(1051, listed().length));
    unsubscribe();
  });

  it('cuts the list below the top when more came meanwhile than it reads down, and goes on from there', async () => {
    const { observer, data, post, unsubscribe } = await boundedList();
    for (let i = 0; i < MAX_PAGES + 1; i++) await observer.fetchNextPage();
    post(CATCH_UP_PAGES * 20 + 100); // 1000..1299
    await observer.fetchPreviousPage();
    await observer.fetchPreviousPage();
    await tick();
    expect(data().pages).toHaveLength(1);
    expect(atTop(data())).toBe(true);
    expect(ids(data())).toEqual(downFrom(1299, CATCH_UP_PAGES * 20));
    // Reading on down continues where the top ended.
    await observer.fetchNextPage();
    expect(ids(data())).toEqual(downFrom(1299, CATCH_UP_PAGES * 20 + 20));
    unsubscribe();
  });

  it('puts nothing on top of a list whose top was dropped, and reads it from its top again', async () => {
    const { qc, key, observer, data, unsubscribe } = await boundedList();
    const fresh = makeTweet({ id: '5000' });
    expect(ids(prependToPages(data(), [fresh]))[0]).toBe(5000);
    for (let i = 0; i < MAX_PAGES; i++) await observer.fetchNextPage();
    const far = data();
    expect(prependToPages(far, [fresh])).toBe(far);
    prependToList(qc, key, [fresh]);
    await tick();
    await observer.refetch();
    expect(data().pages).toHaveLength(1);
    expect(atTop(data())).toBe(true);
    expect(ids(data())[0]).toBe(999);
    unsubscribe();
  });
});
