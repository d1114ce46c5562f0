// The pure parts of "N new tweets" and of the home list's pages: what waits behind the
// banner (src/incoming.ts) and how entries join the cached pages (src/api/cache.ts).
import { describe, expect, it } from 'vitest';
import { listedTweets, prependToPages } from '../src/api/cache';
import type { HomePage, Tweet } from '../src/api/types';
import { caughtUp, collect, compareIds, withEdit, withoutAuthor, withoutListed, withoutTweet } from '../src/incoming';
import { ada, bob, makeTweet } from './helpers';

const ids = (ts: readonly Tweet[]) => ts.map((t) => t.id);
const none = new Set<string>();
const byBob = { id: bob.id, username: bob.username, displayName: bob.displayName };

describe('compareIds', () => {
  it('orders snowflakes as numbers, not as text', () => {
    expect(compareIds('9', '10')).toBeLessThan(0);
    expect(compareIds('386807019870355456', '386807019857772544')).toBeGreaterThan(0);
    expect(compareIds('42', '42')).toBe(0);
  });
});

describe('waiting entries', () => {
  it('keeps each id once, newest first whatever the arrival order', () => {
    let w: readonly Tweet[] = [];
    for (const id of ['20', '9', '100', '20', '9']) w = collect(w, makeTweet({ id }), none);
    expect(ids(w)).toEqual(['100', '20', '9']);
  });

  it('puts a draft published later above what was posted after it was written', () => {
    const posted = makeTweet({ id: '30', createdAt: '2026-12-04T10:00:00.000Z' });
    const published = makeTweet({ id: '10', createdAt: '2026-12-04T10:05:00.000Z' });
    const later = makeTweet({ id: '40', createdAt: '2026-12-04T10:06:00.000Z' });
    let w: readonly Tweet[] = [];
    for (const t of [posted, later, published]) w = collect(w, t, none);
    expect(ids(w)).toEqual(['40', '10', '30']);
  });

  it('ignores an entry the list already shows, and returns the same array when nothing changes', () => {
    const w = collect([], makeTweet({ id: '20' }), none);
    expect(collect(w, makeTweet({ id: '21' }), new Set(['21']))).toBe(w);
    expect(collect(w, makeTweet({ id: '20' }), none)).toBe(w);
  });

  it('drops what the list came to show', () => {
    const w = [makeTweet({ id: '3' }), makeTweet({ id: '2' }), makeTweet({ id: '1' })];
    expect(ids(withoutListed(w, new Set(['2'])))).toEqual(['3', '1']);
    expect(withoutListed(w, new Set(['9']))).toBe(w);
  });

  it('drops a removed tweet together with the retweet entries of it', () => {
    const original = makeTweet({ id: '5' });
    const retweet = makeTweet({ id: '6', kind: 'retweet', author: byBob, retweetOf: original });
    const other = makeTweet({ id: '7' });
    expect(ids(withoutTweet([other, retweet, original], '5'))).toEqual(['7']);
  });

  it('drops an account’s entries and retweets of its tweets after an unfollow, block or mute', () => {
    const bobs = makeTweet({ id: '8', author: byBob });
    const retweetOfBob = makeTweet({ id: '9', kind: 'retweet', retweetOf: bobs });
    const adas = makeTweet({ id: '7' });
    expect(ids(withoutAuthor([retweetOfBob, bobs, adas], bob.id))).toEqual(['7']);
    expect(ids(withoutAuthor([adas], bob.id))).toEqual(['7']);
  });

  it('takes an edit, inside retweet entries too, keeping the reader’s own flags', () => {
    const mine = { ...makeTweet().engagement, likedByCurrentUser: true, retweetedByCurrentUser: true };
    const original = makeTweet({ id: '5', content: 'before', engagement: mine });
    const retweet = makeTweet({ id: '6', kind: 'retweet', author: byBob, retweetOf: original });
    // The stream's copy is viewer-neutral.
    const edited = makeTweet({ id: '5', content: 'after', version: 2, state: 'edited' });
    const [r, o] = withEdit([retweet, original], edited);
    expect(o!.content).toBe('after');
    expect(o!.engagement.likedByCurrentUser).toBe(true);
    expect(r!.retweetOf!.content).toBe('after');
    expect(r!.retweetOf!.engagement.retweetedByCurrentUser).toBe(true);
    const untouched = [makeTweet({ id: '1' })];
    expect(withEdit(untouched, edited)).toBe(untouched);
  });
});

describe('home pages', () => {
  const page = (items: Tweet[], nextCursor: string | null, partial = false): HomePage => ({ items, nextCursor, partial });
  const data = { pages: [page([makeTweet({ id: '10' })], 'c1'), page([makeTweet({ id: '5' })], null)], pageParams: [null, 'c1'] };

  it('puts entries on top of the first page in the order given, skipping listed ones and repeats', () => {
    const next = prependToPages(data, [makeTweet({ id: '12' }), makeTweet({ id: '5' }), makeTweet({ id: '11' }), makeTweet({ id: '12' })]);
    expect(next.pages.map((p) => ids(p.items))).toEqual([['12', '11', '10'], ['5']]);
    // Cursors (and the rest of each page) are untouched: the next page still continues below the old first page.
    expect(next.pages.map((p) => p.nextCursor)).toEqual(['c1', null]);
    expect(next.pageParams).toEqual([null, 'c1']);
    expect(next.pages[1]).toBe(data.pages[1]);
  });

  it('returns the same data when nothing is new, and leaves a list with no page alone', () => {
    expect(prependToPages(data, [makeTweet({ id: '10' })])).toBe(data);
    const empty = { pages: [] as HomePage[], pageParams: [] };
    expect(prependToPages(empty, [makeTweet({ id: '1' })])).toBe(empty);
  });

  it('fills an empty home’s page', () => {
    const emptyHome = { pages: [page([], null)], pageParams: [null] };
    expect(ids(prependToPages(emptyHome, [makeTweet({ id: '1', author: { ...byBob } })]).pages[0]!.items)).toEqual(['1']);
  });

  it('lists the pages in order with each entry once', () => {
    const pages = [page([makeTweet({ id: '12' }), makeTweet({ id: '10' })], 'c1'), page([makeTweet({ id: '10' }), makeTweet({ id: '5' })], null, true)];
    expect(ids(listedTweets(pages))).toEqual(['12', '10', '5']);
  });

  it('keeps a retweet entry and its original as two entries', () => {
    // A retweet entry is an entry of its own, next to its original.
    const original = makeTweet({ id: '5', author: { id: ada.id, username: ada.username, displayName: ada.displayName } });
    const retweet = makeTweet({ id: '6', kind: 'retweet', author: byBob, retweetOf: original });
    expect(ids(listedTweets([page([retweet, original], null)]))).toEqual(['6', '5']);
  });
});

describe('caughtUp', () => {
  it('puts the reader’s own entries aside and collects the others the list lacks, newest first', () => {
    const own = makeTweet({ id: '40', author: { id: 'me', username: 'me', displayName: 'Me' } });
    const missed = makeTweet({ id: '30' });
    const shown = makeTweet({ id: '10' });
    const waiting = [makeTweet({ id: '35' })];
    const r = caughtUp(waiting, [own, missed, shown], new Set(['10']), 'me');
    expect(r.own.map((t) => t.id)).toEqual(['40']);
    expect(r.waiting.map((t) => t.id)).toEqual(['35', '30']);
    // Signed out: nothing is the reader's.
    expect(caughtUp([], [own], new Set(), null).waiting.map((t) => t.id)).toEqual(['40']);
  });
});
