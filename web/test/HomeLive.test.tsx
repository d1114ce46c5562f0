// The home timeline with its live side: the `home` stream, the banner's entries collected
// app-wide (also while another page is shown), the reader's own entries on top at once,
// and the empty home's suggestions.
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { Link, Route, Routes } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import type { Call } from './helpers';
import type { HomePage as HomePageDto, Profile, Tweet } from '../src/api/types';
import { HomeFeedProvider, useHomeFeed } from '../src/home';
import { LiveProvider } from '../src/live';
import { HomePage } from '../src/pages/HomePage';
import { ada, bob, FakeSocket, json, makeTweet, mockFetch, renderWithProviders } from './helpers';

const noEntities = { hashtags: [], mentions: [], urls: [], cashtags: [] };
const asAuthor = (u: typeof ada) => ({ id: u.id, username: u.username, displayName: u.displayName });
const carol = { id: '300', username: 'carol', displayName: 'Carol' };

const tweet = (id: string, content: string, author = asAuthor(ada)) => makeTweet({ id, content, author, entities: noEntities });

function profile(u: { id: string; username: string; displayName: string }, followers: number): Profile {
  return { ...u, bio: '', protected: false, createdAt: '2026-01-01T00:00:00Z', counts: { followers, following: 0, tweets: 3 } };
}

/** How many waiting entries the header would show, next to the pages. */
function WaitingCount() {
  return <span data-testid="waiting">{useHomeFeed().waiting.length}</span>;
}

function setup(opts: { home?: (c: Call) => HomePageDto; route?: string } = {}) {
  vi.stubGlobal('WebSocket', FakeSocket);
  window.scrollTo = vi.fn() as unknown as typeof window.scrollTo;
  const home =
    opts.home ??
    ((c: Call): HomePageDto =>
      c.url.includes('cursor=c1')
        ? { items: [tweet('5', 'second page tweet')], nextCursor: null, partial: false }
        : { items: [tweet('10', 'first page tweet')], nextCursor: 'c1', partial: false });
  const calls = mockFetch((c) => {
    if (c.url.startsWith('/api/timelines/home')) return json(200, home(c));
    if (c.url.startsWith('/api/users/suggestions')) return json(200, { items: [profile(asAuthor(ada), 2), profile(carol, 0)] });
    if (c.method === 'POST' && c.url === '/api/users/@ada/follow')
      return json(200, { following: true, followedBy: false, requested: false, blocking: false, blockedBy: false, muting: false });
    if (c.url === '/api/users/@bob') return json(200, profile(asAuthor(bob), 0));
    return json(404, { error: { code: 'not_found', message: 'no' } });
  });
  renderWithProviders(
    <LiveProvider>
      <HomeFeedProvider>
        <nav>
          <Link to="/home">Home</Link> <Link to="/elsewhere">Elsewhere</Link>
        </nav>
        <WaitingCount />
        <Routes>
          <Route path="/home" element={<HomePage user={bob} />} />
          <Route path="/elsewhere" element={<p>Somewhere else</p>} />
        </Routes>
      </HomeFeedProvider>
    </LiveProvider>,
    { user: bob, route: opts.route ?? '/home' },
  );
  return calls;
}

const homeCalls = (calls: Call[]) => calls.map((c) => c.url).filter((u) => u.startsWith('/api/timelines/home'));
const order = () => screen.getAllByRole('article').map((a) => a.getAttribute('data-tweet-id'));
const subscribedToHome = () => waitFor(() => expect(FakeSocket.last?.sent).toContainEqual({ type: 'subscribe', stream: 'home' }));
const update = (t: Tweet) => FakeSocket.last!.push({ type: 'home.update', data: t });

describe('home timeline', () => {
  it('asks for the home stream and loads older entries by cursor', async () => {
    const calls = setup();
    await screen.findByText('first page tweet');
    await subscribedToHome();
    expect(FakeSocket.last!.sent).toEqual([{ type: 'subscribe', all: true }, { type: 'subscribe', stream: 'home' }]);
    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await screen.findByText('second page tweet');
    expect(homeCalls(calls)).toEqual(['/api/timelines/home?limit=20', '/api/timelines/home?cursor=c1&limit=20']);
  });

  it('holds announced entries behind the banner, once each, and puts them on top when asked', async () => {
    setup();
    await screen.findByText('first page tweet');
    await subscribedToHome();

    update(tweet('21', 'fresher one'));
    update(tweet('20', 'fresh one'));
    update(tweet('21', 'fresher one')); // announced twice (at-least-once delivery)
    update(tweet('10', 'first page tweet')); // already shown
    const banner = await screen.findByRole('button', { name: 'Show 2 new tweets' });
    expect(screen.queryByText('fresh one')).toBeNull();

    fireEvent.click(banner);
    await screen.findByText('fresh one');
    expect(order()).toEqual(['21', '20', '10']);
    expect(window.scrollTo).toHaveBeenCalled();
    expect(screen.queryByRole('button', { name: /new tweet/ })).toBeNull();
  });

  it('puts the reader’s own entries (a retweet, a post from another tab) on top at once', async () => {
    setup();
    await screen.findByText('first page tweet');
    await subscribedToHome();
    update(makeTweet({ id: '30', kind: 'retweet', author: asAuthor(bob), retweetOf: tweet('10', 'first page tweet'), entities: noEntities }));
    await waitFor(() => expect(order()).toEqual(['10', '10']));
    expect(screen.getByText(/retweeted/).closest('[data-retweet-id]')?.getAttribute('data-retweet-id')).toBe('30');
    expect(screen.queryByRole('button', { name: /new tweet/ })).toBeNull();
  });

  it('keeps what arrives while another page is shown, and forgets what left meanwhile', async () => {
    setup();
    await screen.findByText('first page tweet');
    await subscribedToHome();
    fireEvent.click(screen.getByRole('link', { name: 'Elsewhere' }));
    await screen.findByText('Somewhere else');

    update(tweet('40', 'while away'));
    update(tweet('41', 'deleted while away'));
    FakeSocket.last!.push({ type: 'tweet.deleted', data: { id: '41' } });
    expect(screen.getByTestId('waiting').textContent).toBe('1');

    fireEvent.click(screen.getByRole('link', { name: 'Home' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Show 1 new tweet' }));
    await screen.findByText('while away');
    expect(order()).toEqual(['40', '10']);
    expect(screen.queryByText('deleted while away')).toBeNull();
  });

  it('catches up after a reconnection with what the list lacks', async () => {
    let reconnected = false;
    setup({
      home: () => ({
        items: reconnected ? [tweet('50', 'missed while offline'), tweet('10', 'first page tweet')] : [tweet('10', 'first page tweet')],
        nextCursor: null,
        partial: false,
      }),
    });
    await screen.findByText('first page tweet');
    await subscribedToHome();
    const first = FakeSocket.last!;
    reconnected = true;
    first.drop();
    // The stream reconnects after its backoff (at most 625 ms for the first retry).
    await waitFor(() => expect(FakeSocket.last).not.toBe(first), { timeout: 2_000 });
    await subscribedToHome();
    fireEvent.click(await screen.findByRole('button', { name: 'Show 1 new tweet' }));
    await screen.findByText('missed while offline');
    expect(order()).toEqual(['50', '10']);
  });
});

describe('partial home', () => {
  it('says when the server could not put the page together in time, and reads it again on request', async () => {
    let reads = 0;
    const calls = setup({
      home: () => {
        reads += 1;
        return { items: [tweet('10', 'first page tweet')], nextCursor: null, partial: reads === 1 };
      },
    });
    const notice = await screen.findByText(/some tweets may be missing/);
    fireEvent.click(screen.getByRole('button', { name: 'Load it again' }));
    await waitFor(() => expect(notice.isConnected).toBe(false));
    expect(homeCalls(calls)).toEqual(['/api/timelines/home?limit=20', '/api/timelines/home?limit=20']);
  });
});

describe('empty home', () => {
  it('explains itself and suggests accounts; a follow reads home again, which brings their tweets', async () => {
    let followed = false;
    const calls = setup({ home: () => ({ items: followed ? [tweet('60', 'backfilled from Ada')] : [], nextCursor: null, partial: false }) });
    await screen.findByRole('heading', { name: 'Your home timeline is empty' });
    const follow = await screen.findByRole('button', { name: 'Follow @ada' });
    const suggestions = screen.getByRole('region', { name: 'Who to follow' });
    expect(suggestions.textContent).toContain('2 followers');
    expect(suggestions.textContent).toContain('0 followers');

    followed = true;
    fireEvent.click(follow);
    await screen.findByText('backfilled from Ada');
    expect(calls.some((c) => c.method === 'POST' && c.url === '/api/users/@ada/follow')).toBe(true);
    expect(homeCalls(calls).length).toBeGreaterThanOrEqual(2);
  });

  it('reads home again after the backfill delay, for a backfill the first read missed', async () => {
    let reads = 0;
    let followed = false;
    setup({
      // The first read after the follow comes before the delivery.
      home: () => {
        reads += 1;
        return { items: followed && reads >= 3 ? [tweet('61', 'delivered a moment later')] : [], nextCursor: null, partial: false };
      },
    });
    const follow = await screen.findByRole('button', { name: 'Follow @ada' });
    vi.useFakeTimers({ shouldAdvanceTime: true });
    followed = true;
    fireEvent.click(follow);
    await screen.findByRole('button', { name: 'Unfollow @ada' });
    await waitFor(() => expect(reads).toBe(2));
    expect(screen.queryByText('delivered a moment later')).toBeNull();
    await act(() => vi.advanceTimersByTimeAsync(1_000));
    await screen.findByText('delivered a moment later');
  });

  it('reads home again on an announcement instead of holding it behind a banner', async () => {
    let announced = false;
    setup({ home: () => ({ items: announced ? [tweet('70', 'first ever entry')] : [], nextCursor: null, partial: false }) });
    await screen.findByRole('heading', { name: 'Your home timeline is empty' });
    await subscribedToHome();
    announced = true;
    update(tweet('70', 'first ever entry'));
    await screen.findByText('first ever entry');
    expect(screen.queryByRole('button', { name: /new tweet/ })).toBeNull();
  });
});
