// The pure side of notifications: the badge's count from events and answers that may arrive
// out of order, the words a group is told in, and the newest page merged on top of a list.
import { describe, expect, it } from 'vitest';
import type { NotificationGroup, NotificationGroupPage, User } from '../src/api/types';
import { TOP, type PageParam } from '../src/api/paging';
import {
  actionText,
  actorsText,
  groupKey,
  listedGroups,
  newestGroupId,
  noUnread,
  notificationSentence,
  unreadReducer,
  withNewestPage,
  type GroupPages,
  type UnreadAction,
  type UnreadState,
} from '../src/notificationGroups';
import { makeTweet } from './helpers';

const person = (n: number, name: string): User => ({ id: String(n), username: name.toLowerCase(), displayName: name, createdAt: '2026-01-01T00:00:00Z' });
const [ada, bob, cy, dee] = [person(1, 'Ada'), person(2, 'Bob'), person(3, 'Cy'), person(4, 'Dee')] as const;

const run = (actions: UnreadAction[], from: UnreadState = noUnread) => actions.reduce(unreadReducer, from);
const notified = (id: string, unreadCount: number, unread = true): UnreadAction => ({ type: 'notified', notification: { id, unread }, unreadCount });

describe('the unread badge', () => {
  it('starts from the count endpoint and follows each event’s count', () => {
    expect(run([{ type: 'loaded', count: 4 }]).count).toBe(4);
    expect(run([{ type: 'loaded', count: 4 }, notified('10', 5)]).count).toBe(5);
    expect(run([{ type: 'loaded', count: 4 }, notified('10', 5), notified('11', 6)]).count).toBe(6);
  });

  it('goes to what the read answer says', () => {
    const s = run([notified('10', 1), notified('11', 2), { type: 'read', readUpTo: '11', unreadCount: 0 }]);
    expect(s).toEqual({ count: 0, readUpTo: '11', announced: [] });
  });

  it('ignores an event about a notification already read here (its count may predate the read)', () => {
    const s = run([{ type: 'read', readUpTo: '11', unreadCount: 0 }, notified('11', 1), notified('9', 3)]);
    expect(s.count).toBe(0);
  });

  it('does not let a read answer computed before a newer event hide it', () => {
    // The stream announced 12 (unread) before the answer to "read up to 11", which knew nothing of it.
    const s = run([notified('11', 1), notified('12', 2), { type: 'read', readUpTo: '11', unreadCount: 0 }]);
    expect(s.count).toBe(1);
    expect(s.announced).toEqual(['12']);
    // Reading 12 as well clears it.
    expect(unreadReducer(s, { type: 'read', readUpTo: '12', unreadCount: 0 }).count).toBe(0);
  });

  it('never moves its mark back, and counts an event already read elsewhere as the server says', () => {
    const s = run([{ type: 'read', readUpTo: '20', unreadCount: 0 }, { type: 'read', readUpTo: '15', unreadCount: 0 }]);
    expect(s.readUpTo).toBe('20');
    // Numeric order, not string order: 100 > 20.
    const later = run([notified('100', 0, false)], s);
    expect(later.count).toBe(0);
    expect(later.announced).toEqual([]);
  });

  it('follows the stream’s count when one is withdrawn or read elsewhere, unless this tab has read further', () => {
    // Two announced, then the like behind 11 is undone: one left.
    const withdrawn = run([notified('10', 1), notified('11', 2), { type: 'counted', readUpTo: '0', unreadCount: 1 }]);
    expect(withdrawn).toEqual({ count: 1, readUpTo: '0', announced: [] });
    // Another device read everything.
    expect(run([{ type: 'counted', readUpTo: '11', unreadCount: 0 }], withdrawn).count).toBe(0);
    // A count taken before this tab read up to 20 is stale.
    const readHere = run([{ type: 'read', readUpTo: '20', unreadCount: 0 }]);
    expect(run([{ type: 'counted', readUpTo: '15', unreadCount: 3 }], readHere)).toBe(readHere);
  });

  it('trusts a fresh count over what it heard (another tab may have read), and forgets it all on reset', () => {
    const s = run([notified('10', 1), notified('11', 2), { type: 'loaded', count: 0 }]);
    expect(s.count).toBe(0);
    expect(s.announced).toEqual([]);
    expect(unreadReducer(run([notified('10', 3)]), { type: 'reset' })).toEqual(noUnread);
  });
});

describe('the words of a group', () => {
  it('names up to three actors, and counts the others beyond', () => {
    expect(actorsText([ada], 1)).toBe('Ada');
    expect(actorsText([ada, bob], 2)).toBe('Ada and Bob');
    expect(actorsText([ada, bob, cy], 3)).toBe('Ada, Bob and Cy');
    expect(actorsText([ada, bob, cy], 13)).toBe('Ada and 12 others');
    expect(actorsText([ada, bob, cy], 4)).toBe('Ada and 3 others');
    // Fewer actors than the count (some may not be shown): the rest are "others".
    expect(actorsText([ada], 2)).toBe('Ada and 1 other');
    expect(actorsText([ada, bob], 3)).toBe('Ada, Bob and 1 other');
  });

  it('says what was done, to a tweet or a reply', () => {
    const tweet = { replyToId: null };
    const reply = { replyToId: '5' };
    expect(actionText('like', tweet)).toBe('liked your tweet');
    expect(actionText('like', reply)).toBe('liked your reply');
    expect(actionText('retweet', tweet)).toBe('retweeted your tweet');
    expect(actionText('follow', null)).toBe('followed you');
    expect(actionText('follow_request', null)).toBe('asked to follow you');
    expect(actionText('reply', reply)).toBe('replied:');
    expect(actionText('mention', tweet)).toBe('mentioned you:');
    expect(actionText('quote', tweet)).toBe('quoted your tweet:');
    expect(actionText('poke', null)).toBe('sent you a notification (poke)');
  });

  it('makes the sentence', () => {
    expect(notificationSentence({ type: 'like', actors: [ada, bob, cy], count: 13, tweet: makeTweet() })).toBe('Ada and 12 others liked your tweet');
    expect(notificationSentence({ type: 'follow', actors: [bob], count: 1, tweet: null })).toBe('Bob followed you');
    expect(notificationSentence({ type: 'follow', actors: [dee, cy], count: 2, tweet: null })).toBe('Dee and Cy followed you');
  });
});

// ---------------------------------------------------------------- merging pages

const t = (id: string) => makeTweet({ id });
function group(id: string, type: NotificationGroup['type'], tweetId: string | null, over: Partial<NotificationGroup> = {}): NotificationGroup {
  return { id, type, actors: [ada], count: 1, tweet: tweetId ? t(tweetId) : null, latestAt: '2026-01-01T00:00:00Z', unread: true, ...over };
}
const page = (items: NotificationGroup[], nextCursor: string | null): NotificationGroupPage => ({ grouped: true, items, nextCursor });
/** Pages as read from the top, each page's param carrying the one above it (api/paging.ts). */
function pages(...ps: NotificationGroupPage[]): GroupPages {
  const pageParams: PageParam[] = [TOP];
  for (let i = 1; i < ps.length; i++) pageParams.push({ cursor: `c${i}`, above: pageParams[i - 1]! });
  return { pages: ps, pageParams };
}
const ids = (d: GroupPages | null) => d && listedGroups(d.pages).map((g) => g.id);

describe('lists of groups', () => {
  it('keys a group by kind and tweet (all follows are one group)', () => {
    expect(groupKey(group('1', 'like', '70'))).toBe('like:70');
    expect(groupKey(group('2', 'retweet', '70'))).toBe('retweet:70');
    expect(groupKey(group('3', 'follow', null))).toBe('follow:');
  });

  it('lists each group once, and finds the newest id numerically', () => {
    const d = pages(page([group('30', 'like', '70'), group('9', 'follow', null)], 'c1'), page([group('8', 'like', '70'), group('7', 'mention', '71')], null));
    expect(ids(d)).toEqual(['30', '9', '7']);
    expect(newestGroupId(d.pages)).toBe('30');
    expect(newestGroupId([page([group('9', 'follow', null), group('10', 'like', '70')], null)])).toBe('10');
    expect(newestGroupId([])).toBeNull();
  });

  it('puts new groups on top and moves a group that got a new notification, wherever it was', () => {
    const d = pages(
      page([group('20', 'follow', null), group('18', 'like', '70', { unread: true })], 'c1'),
      page([group('10', 'mention', '71'), group('5', 'like', '72')], null),
    );
    // A new like on 72 (group id 22, two actors now) and a new reply; the server's first page of two.
    const merged = withNewestPage(d, page([group('23', 'reply', '73'), group('22', 'like', '72', { count: 2 }), group('20', 'follow', null, { unread: false })], 'n20'));
    expect(ids(merged)).toEqual(['23', '22', '20', '18', '10']);
    expect(merged!.pages[1]!.items.map((g) => g.id)).toEqual(['10']);
    expect(merged!.pages[0]!.nextCursor).toBe('c1'); // the pages already read keep their cursors
    expect(merged!.pageParams).toEqual(d.pageParams);
    // A group it already showed keeps the mark it was shown with.
    expect(merged!.pages[0]!.items.find((g) => g.id === '20')!.unread).toBe(true);
  });

  it('leaves a list whose top pages were dropped as it is: what is new comes with them going back up', () => {
    const far: GroupPages = {
      pages: [page([group('10', 'mention', '71'), group('5', 'like', '72')], null)],
      pageParams: [{ cursor: 'c1', above: TOP }],
    };
    expect(withNewestPage(far, page([group('23', 'reply', '73'), group('22', 'like', '72')], 'n22'))).toBe(far);
    // Not even "read it all again": that would read the same kept pages, or jump to the top.
    expect(withNewestPage(far, page([group('40', 'like', '80')], 'n40'))).toBe(far);
  });

  it('is the same object when nothing is new', () => {
    const d = pages(page([group('20', 'follow', null), group('18', 'like', '70')], 'c1'));
    expect(withNewestPage(d, page([group('20', 'follow', null), group('18', 'like', '70')], 'n18'))).toBe(d);
  });

  it('says "read it all again" when the newest page shares nothing with the list (a gap)', () => {
    const d = pages(page([group('20', 'follow', null)], 'c1'));
    expect(withNewestPage(d, page([group('40', 'like', '80'), group('39', 'like', '81')], 'n39'))).toBeNull();
    // …unless that page is the whole list.
    const whole = page([group('40', 'like', '80'), group('39', 'like', '81')], null);
    expect(withNewestPage(d, whole)).toEqual({ pages: [whole], pageParams: [TOP] });
    expect(withNewestPage(pages(page([], null)), whole)).toEqual({ pages: [whole], pageParams: [TOP] });
  });
});
