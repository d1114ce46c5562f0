// The Notifications page and the unread badge: each kind told as a sentence with its links,
// unread groups marked in words, everything read once shown (and the badge back to 0), the
// badge counting live from the `notifications` stream, what arrives while the page is open
// put on top, the Mentions filter and paging.
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Link, Route, Routes } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import type { Call } from './helpers';
import type { Notification, NotificationGroup, NotificationGroupPage, Tweet, User } from '../src/api/types';
import { NotificationsNavLink } from '../src/App';
import { LiveProvider } from '../src/live';
import { NotificationsProvider } from '../src/notifications';
import { NotificationsPage } from '../src/pages/NotificationsPage';
import { MAX_PAGES } from '../src/api/paging';
import { ada, bob, FakeSocket, json, makeTweet, mockFetch, renderWithProviders } from './helpers';

const cy: User = { id: '300', username: 'cy', displayName: 'Cy', createdAt: '2026-01-01T00:00:00Z' };
const dee: User = { id: '400', username: 'dee', displayName: 'Dee', createdAt: '2026-01-01T00:00:00Z' };
const asAuthor = (u: User) => ({ id: u.id, username: u.username, displayName: u.displayName });
const noEntities = { hashtags: [], mentions: [], urls: [], cashtags: [] };
const tweet = (id: string, content: string, author: User, over: Partial<Tweet> = {}) =>
  makeTweet({ id, content, author: asAuthor(author), entities: noEntities, ...over });

// Bob is reading. His own tweet and reply; Cy's reply and others' tweets about him.
const bobsTweet = tweet('70', 'Bob’s thoughts on starlings', bob);
const bobsReply = tweet('71', 'Bob answering someone', bob, { replyToId: '69' });
const cysReply = tweet('72', 'Cy answering Bob', cy, { replyToId: '70' });
const adasMention = tweet('73', 'Hello @bob', ada);
const deesQuote = tweet('74', 'Dee quoting Bob', dee, { kind: 'quote' });

function group(id: string, type: NotificationGroup['type'], actors: User[], t: Tweet | null, over: Partial<NotificationGroup> = {}): NotificationGroup {
  return { id, type, actors, count: actors.length, tweet: t, latestAt: new Date(Date.now() - 120_000).toISOString(), unread: false, ...over };
}

const everyKind: NotificationGroup[] = [
  group('17', 'like', [ada, cy, dee], bobsReply, { count: 13, unread: true }),
  group('16', 'retweet', [ada], bobsTweet, { unread: true }),
  group('15', 'follow', [cy, ada], null),
  group('14', 'follow_request', [dee], null),
  group('13', 'reply', [cy], cysReply),
  group('12', 'mention', [ada], adasMention),
  group('11', 'quote', [dee], deesQuote),
];

const page = (items: NotificationGroup[], nextCursor: string | null = null): NotificationGroupPage => ({ grouped: true, items, nextCursor });

interface Server {
  list: (c: Call) => NotificationGroupPage;
  unread: number;
}

function setup(opts: { route?: string; list?: Server['list']; unread?: number } = {}) {
  vi.stubGlobal('WebSocket', FakeSocket);
  const server: Server = { list: opts.list ?? (() => page(everyKind)), unread: opts.unread ?? 2 };
  const calls = mockFetch((c) => {
    if (c.url === '/api/notifications/unread-count') return json(200, { count: server.unread });
    if (c.method === 'POST' && c.url === '/api/notifications/read') {
      server.unread = 0;
      return json(200, { readUpTo: (c.body as { upTo: string }).upTo, unreadCount: 0 });
    }
    if (c.url.startsWith('/api/notifications')) return json(200, server.list(c));
    return json(404, { error: { code: 'not_found', message: 'no' } });
  });
  renderWithProviders(
    <LiveProvider>
      <NotificationsProvider>
        <nav aria-label="Main">
          <NotificationsNavLink /> <Link to="/elsewhere">Elsewhere</Link>
        </nav>
        <Routes>
          <Route path="/notifications" element={<NotificationsPage />} />
          <Route path="/elsewhere" element={<p>Somewhere else</p>} />
          <Route path="/requests" element={<p>The requests page</p>} />
        </Routes>
      </NotificationsProvider>
    </LiveProvider>,
    { user: bob, route: opts.route ?? '/notifications' },
  );
  return { calls, server };
}

const item = (id: string) => document.querySelector<HTMLElement>(`li[data-notification-id="${id}"]`)!;
/** The ids of the groups listed, top to bottom. */
const shownIds = () => [...document.querySelectorAll('li[data-notification-id]')].map((li) => li.getAttribute('data-notification-id')!);
const sentence = (id: string) => item(id).querySelector('.notification-text')!.textContent;
const listCalls = (calls: Call[]) => calls.filter((c) => c.method === 'GET' && /^\/api\/notifications(\?|$)/.test(c.url)).map((c) => c.url);
const readCalls = (calls: Call[]) => calls.filter((c) => c.method === 'POST').map((c) => c.body);
const badge = () => within(screen.getByRole('navigation', { name: 'Main' })).getAllByRole('link')[0]!;
const subscribed = () => waitFor(() => expect(FakeSocket.last?.sent).toContainEqual({ type: 'subscribe', stream: 'notifications' }));

function notification(id: string, type: Notification['type'], actor: User, t: Tweet | null): Notification {
  return { id, type, actor, tweet: t, createdAt: new Date().toISOString(), unread: true };
}
const push = (n: Notification, unreadCount: number) => FakeSocket.last!.push({ type: 'notification', data: { notification: n, unreadCount } });

describe('notifications page', () => {
  it('tells each kind as a sentence, linking the people, the tweet and the requests page', async () => {
    setup();
    await screen.findByRole('heading', { level: 1, name: 'Notifications' });
    await waitFor(() => expect(item('17')).toBeTruthy());

    expect(sentence('17')).toBe('Ada and 12 others liked your reply');
    expect(within(item('17')).getByRole('link', { name: 'your reply' }).getAttribute('href')).toBe('/tweets/71');
    expect(within(item('17')).getByRole('link', { name: 'Ada' }).getAttribute('href')).toBe('/u/ada');
    expect(item('17').textContent).toContain('Bob answering someone'); // the liked reply, compactly
    expect(sentence('16')).toBe('Ada retweeted your tweet');
    expect(within(item('16')).getByRole('link', { name: 'your tweet' }).getAttribute('href')).toBe('/tweets/70');
    expect(sentence('15')).toBe('Cy and Ada followed you');
    expect(within(item('15')).getByRole('link', { name: 'Cy' }).getAttribute('href')).toBe('/u/cy');
    expect(sentence('14')).toBe('Dee asked to follow you');
    expect(within(item('14')).getByRole('link', { name: 'Review follow requests' }).getAttribute('href')).toBe('/requests');
    expect(sentence('13')).toBe('Cy replied:');
    expect(within(item('13')).getByRole('link', { name: 'Cy answering Bob' }).getAttribute('href')).toBe('/tweets/72');
    expect(sentence('12')).toBe('Ada mentioned you:');
    expect(within(item('12')).getByRole('link', { name: 'Hello @bob' }).getAttribute('href')).toBe('/tweets/73');
    expect(sentence('11')).toBe('Dee quoted your tweet:');
    expect(within(item('11')).getByRole('link', { name: 'Dee quoting Bob' }).getAttribute('href')).toBe('/tweets/74');

    // Unread groups say so in words, not only by colour.
    expect(within(item('17')).getByText('New')).toBeTruthy();
    expect(within(item('16')).getByText('New')).toBeTruthy();
    expect(within(item('15')).queryByText('New')).toBeNull();
    expect(item('17').classList.contains('unread')).toBe(true);

    fireEvent.click(within(item('14')).getByRole('link', { name: 'Review follow requests' }));
    await screen.findByText('The requests page');
  });

  it('marks everything up to the newest group read once shown; the badge goes to 0, the "New" marks stay for this visit', async () => {
    const { calls } = setup({ route: '/elsewhere', unread: 2 });
    await waitFor(() => expect(badge().getAttribute('aria-label')).toBe('Notifications, 2 unread'));
    expect(badge().textContent).toBe('Notifications2');
    expect(readCalls(calls)).toEqual([]);

    fireEvent.click(badge());
    await waitFor(() => expect(readCalls(calls)).toEqual([{ upTo: '17' }]));
    await waitFor(() => expect(badge().getAttribute('aria-label')).toBeNull());
    expect(badge().textContent).toBe('Notifications');
    expect(within(item('17')).getByText('New')).toBeTruthy();
  });

  it('counts up live from the stream while another page is shown', async () => {
    setup({ route: '/elsewhere', unread: 0 });
    await subscribed();
    expect(badge().getAttribute('aria-label')).toBeNull();
    push(notification('20', 'like', ada, bobsTweet), 1);
    await waitFor(() => expect(badge().getAttribute('aria-label')).toBe('Notifications, 1 unread'));
    push(notification('21', 'follow', cy, null), 2);
    await waitFor(() => expect(badge().getAttribute('aria-label')).toBe('Notifications, 2 unread'));
  });

  it('puts what arrives while it is open on top, and reads it too', async () => {
    let arrived = false;
    const { calls } = setup({
      list: () =>
        page(
          arrived
            ? [group('30', 'retweet', [cy, ada], bobsTweet, { unread: true }), ...everyKind.filter((g) => g.id !== '16')]
            : everyKind,
        ),
    });
    await waitFor(() => expect(readCalls(calls)).toEqual([{ upTo: '17' }]));
    await subscribed();

    arrived = true;
    push(notification('30', 'retweet', cy, bobsTweet), 1);
    await waitFor(() => expect(sentence('30')).toBe('Cy and Ada retweeted your tweet'));
    expect(shownIds()).toEqual(['30', '17', '15', '14', '13', '12', '11']); // the retweet group moved up, once
    await waitFor(() => expect(readCalls(calls)).toEqual([{ upTo: '17' }, { upTo: '30' }]));
    await waitFor(() => expect(badge().getAttribute('aria-label')).toBeNull());
    expect(listCalls(calls)).toEqual(['/api/notifications?limit=20', '/api/notifications?limit=20']);
  });

  it('filters to mentions (mentions, replies, quotes), which a like does not disturb', async () => {
    const { calls } = setup({
      list: (c) => (c.url.includes('types=') ? page(everyKind.filter((g) => ['mention', 'reply', 'quote'].includes(g.type))) : page(everyKind)),
    });
    await waitFor(() => expect(item('17')).toBeTruthy());
    fireEvent.click(screen.getByRole('link', { name: 'Mentions' }));
    await waitFor(() => expect(item('13')?.querySelector('.notification-text')?.textContent).toBe('Cy replied:'));
    expect(item('17')).toBeNull();
    expect(screen.getByRole('link', { name: 'Mentions' }).getAttribute('aria-current')).toBe('page');
    expect(listCalls(calls)).toEqual(['/api/notifications?limit=20', '/api/notifications?types=mention%2Creply%2Cquote&limit=20']);

    await subscribed();
    push(notification('31', 'like', ada, bobsTweet), 1);
    // A catch-up asks at once (the request starts within the event); a like asks nothing here.
    expect(listCalls(calls)).toHaveLength(2);
    push(notification('32', 'mention', cy, tweet('75', 'Cy says hi to @bob', cy)), 2);
    expect(listCalls(calls)).toEqual([
      '/api/notifications?limit=20',
      '/api/notifications?types=mention%2Creply%2Cquote&limit=20',
      '/api/notifications?types=mention%2Creply%2Cquote&limit=20',
    ]);
  });

  it('loads older groups by cursor', async () => {
    const { calls } = setup({
      list: (c) => (c.url.includes('cursor=n11') ? page([group('5', 'follow', [dee], null)]) : page(everyKind.filter((g) => g.type !== 'follow'), 'n11')),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(sentence('5')).toBe('Dee followed you'));
    expect(listCalls(calls)).toEqual(['/api/notifications?limit=20', '/api/notifications?cursor=n11&limit=20']);
    expect(screen.getByText('That’s all.')).toBeTruthy();
  });

  it('stays bounded read far down: the top pages are dropped, what arrives meanwhile waits above them, and going up brings it', async () => {
    // 400 groups of likes, each on its own tweet (ids 1000 down to 601), 20 a page, read below a cursor (the last id).
    let newest = 1000;
    const list = (c: Call) => {
      const cursor = new URL(c.url, 'http://x').searchParams.get('cursor');
      const below = cursor === null ? newest + 1 : Number(cursor);
      const ids = Array.from({ length: 20 }, (_, i) => below - 1 - i).filter((id) => id > 600);
      return page(
        ids.map((id) => group(String(id), 'like', [dee], tweet(String(id), `Bob’s tweet ${id}`, bob))),
        ids.length === 20 && ids.at(-1)! > 601 ? String(ids.at(-1)) : null,
      );
    };
    const { calls } = setup({ list });
    await waitFor(() => expect(item('1000')).toBeTruthy());
    await subscribed();
    for (let i = 0; i < MAX_PAGES + 1; i++) {
      const before = shownIds();
      fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
      await waitFor(() => expect(shownIds().at(-1)).not.toBe(before.at(-1)));
      expect(shownIds().length).toBeGreaterThanOrEqual(Math.min(before.length, MAX_PAGES * 20 - 20));
    }
    // 17 pages read, 15 kept: the first two (1000..961) dropped.
    expect(shownIds()).toHaveLength(MAX_PAGES * 20);
    expect(item('1000')).toBeNull();
    expect(item('960')).toBeTruthy();
    const newer = screen.getByRole('group', { name: 'Newer notifications' });

    // A new like arrives: its catch-up reads the newest page, and nothing moves down here.
    newest = 1001;
    const before = listCalls(calls).length;
    push(notification('1001', 'like', cy, tweet('1001', 'Bob’s tweet 1001', bob)), 1);
    await waitFor(() => expect(listCalls(calls)).toHaveLength(before + 1));
    await new Promise((r) => setTimeout(r, 50));
    expect(item('1001')).toBeNull();
    expect(shownIds()).toHaveLength(MAX_PAGES * 20);

    // Back up: each dropped page read again by the cursor it had; the top read afresh holds the new one.
    fireEvent.click(within(newer).getByRole('button', { name: 'Load newer' }));
    await waitFor(() => expect(item('980')).toBeTruthy());
    fireEvent.click(within(screen.getByRole('group', { name: 'Newer notifications' })).getByRole('button', { name: 'Load newer' }));
    await waitFor(() => expect(item('1001')).toBeTruthy());
    expect(screen.queryByRole('group', { name: 'Newer notifications' })).toBeNull();
    const order = shownIds().map(Number);
    // Every group from the new one down, once: none pushed out of the top page by it (981 was its last).
    expect(order).toEqual(Array.from({ length: order.length }, (_, i) => 1001 - i));
    expect(order.length).toBeLessThanOrEqual(MAX_PAGES * 20 + 1);
  });

  it('shows an edit of a tweet it is about, and drops the group of a tweet that left view', async () => {
    setup();
    await waitFor(() => expect(item('13')).toBeTruthy());
    FakeSocket.last!.push({ type: 'tweet.updated', data: { ...bobsTweet, content: 'Bob’s edited thoughts', version: 2 } });
    await waitFor(() => expect(item('16').textContent).toContain('Bob’s edited thoughts'));
    FakeSocket.last!.push({ type: 'tweet.deleted', data: { id: '72' } });
    await waitFor(() => expect(item('13')).toBeNull());
    expect(item('12')).toBeTruthy();
  });

  it('reads the count again after a reconnection (events were missed meanwhile)', async () => {
    const { calls, server } = setup({ route: '/elsewhere', unread: 0 });
    await subscribed();
    const first = FakeSocket.last!;
    server.unread = 4;
    first.drop();
    // The stream reconnects after its backoff (at most 625 ms for the first retry).
    await waitFor(() => expect(FakeSocket.last).not.toBe(first), { timeout: 2_000 });
    await waitFor(() => expect(badge().getAttribute('aria-label')).toBe('Notifications, 4 unread'));
    expect(calls.filter((c) => c.url === '/api/notifications/unread-count')).toHaveLength(2);
    await subscribed();
  });

  it('says so when there is nothing', async () => {
    setup({ list: () => page([]), unread: 0 });
    await screen.findByText(/Nothing yet/);
  });
});
