import { fireEvent, screen, waitFor } from '@testing-library/react';
import { Link, Route, Routes } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { LiveProvider } from '../src/live';
import { TimelinePage } from '../src/pages/TimelinePage';
import { TimelinesProvider } from '../src/timelines';
import type { Tweet } from '../src/api/types';
import { ada, bob, FakeSocket, json, makeTweet, mockFetch, renderWithProviders, type Call } from './helpers';

const noEntities = { hashtags: [], mentions: [], urls: [], cashtags: [] };

function setup(over: { lookup?: (c: Call) => { items: Tweet[]; missing: string[] }; firstPage?: () => Tweet[] } = {}) {
  vi.stubGlobal('WebSocket', FakeSocket);
  const first = makeTweet({ id: '10', content: 'first page tweet', entities: noEntities });
  const second = makeTweet({ id: '5', content: 'second page tweet', entities: noEntities });
  const calls = mockFetch((c) => {
    if (c.url.startsWith('/api/tweets/lookup')) return json(200, over.lookup ? over.lookup(c) : { items: [first], missing: [] });
    if (c.url.includes('cursor=c1')) return json(200, { items: [second], nextCursor: null });
    return json(200, { items: over.firstPage ? over.firstPage() : [first], nextCursor: 'c1' });
  });
  // The timeline and another page, with links between them: what the stream announces for
  // the timeline while the other page is shown must wait for the reader.
  renderWithProviders(
    <LiveProvider>
      <TimelinesProvider>
        <nav>
          <Link to="/">Latest</Link> <Link to="/elsewhere">Elsewhere</Link>
        </nav>
        <Routes>
          <Route path="/" element={<TimelinePage />} />
          <Route path="/elsewhere" element={<p>another page</p>} />
        </Routes>
      </TimelinesProvider>
    </LiveProvider>,
    { user: bob },
  );
  return calls;
}

const order = () => screen.getAllByRole('article').map((a) => a.getAttribute('data-tweet-id'));

async function reconnect() {
  const before = FakeSocket.last!;
  before.drop();
  // The stream reconnects after its backoff (at most 625 ms for the first retry).
  await waitFor(() => expect(FakeSocket.last).not.toBe(before), { timeout: 2_000 });
  await waitFor(() => expect(FakeSocket.last!.sent.length).toBeGreaterThan(0));
}

describe('live timeline', () => {
  it('subscribes to all public events and loads older tweets by cursor', async () => {
    const calls = setup();
    await screen.findByText('first page tweet');
    await waitFor(() => expect(FakeSocket.last?.sent).toEqual([{ type: 'subscribe', all: true }]));
    expect(FakeSocket.last!.url).toMatch(/^ws:\/\/.*\/api\/stream\?token=test-token$/);

    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await screen.findByText('second page tweet');
    // The compose box also reads the reader's profile (for the default visibility); only the paging is checked here.
    expect(calls.map((c) => c.url).filter((u) => u.startsWith('/api/tweets'))).toEqual(['/api/tweets?limit=20', '/api/tweets?cursor=c1&limit=20']);
    expect(screen.getByText('You’re all caught up.')).toBeTruthy();
  });

  it('holds new tweets behind a banner instead of shifting the list', async () => {
    setup();
    await screen.findByText('first page tweet');
    await waitFor(() => expect(FakeSocket.last?.sent.length).toBe(1));

    FakeSocket.last!.push({ type: 'tweet.created', data: makeTweet({ id: '20', content: 'fresh one', author: { ...ada }, entities: noEntities }) });
    FakeSocket.last!.push({ type: 'tweet.created', data: makeTweet({ id: '21', content: 'fresher one', author: { ...ada }, entities: noEntities }) });
    const banner = await screen.findByRole('button', { name: 'Show 2 new tweets' });
    expect(screen.queryByText('fresh one')).toBeNull();

    window.scrollTo = vi.fn() as unknown as typeof window.scrollTo;
    fireEvent.click(banner);
    await screen.findByText('fresh one');
    const order = screen.getAllByRole('article').map((a) => a.getAttribute('data-tweet-id'));
    expect(order).toEqual(['21', '20', '10']);
    expect(screen.queryByRole('button', { name: /new tweet/ })).toBeNull();
  });

  it('applies live engagement counts and drops deleted tweets', async () => {
    setup();
    await screen.findByText('first page tweet');
    await waitFor(() => expect(FakeSocket.last?.sent.length).toBe(1));

    FakeSocket.last!.push({ type: 'engagement.updated', data: { id: '10', engagement: { ...makeTweet().engagement, likes: 9 } } });
    await waitFor(() => expect(screen.getByTestId('like-count').textContent).toBe('9'));

    FakeSocket.last!.push({ type: 'tweet.deleted', data: { id: '10' } });
    await waitFor(() => expect(screen.queryByText('first page tweet')).toBeNull());
  });

  it('keeps collecting for the timeline while another page is shown', async () => {
    setup();
    await screen.findByText('first page tweet');
    await waitFor(() => expect(FakeSocket.last?.sent.length).toBe(1));

    fireEvent.click(screen.getByRole('link', { name: 'Elsewhere' }));
    await screen.findByText('another page');
    FakeSocket.last!.push({ type: 'tweet.created', data: makeTweet({ id: '20', content: 'posted meanwhile', author: { ...ada }, entities: noEntities }) });
    FakeSocket.last!.push({ type: 'tweet.created', data: makeTweet({ id: '21', content: 'then deleted', author: { ...ada }, entities: noEntities }) });
    FakeSocket.last!.push({ type: 'tweet.deleted', data: { id: '21' } });

    fireEvent.click(screen.getByRole('link', { name: 'Latest' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Show 1 new tweet' }));
    await screen.findByText('posted meanwhile');
    expect(order()).toEqual(['20', '10']);
  });

  it('after a reconnection, asks what became of the shown tweets and what is new', async () => {
    let away = false;
    const calls = setup({
      firstPage: () =>
        away ? [makeTweet({ id: '30', content: 'posted while away', entities: noEntities }), makeTweet({ id: '10', content: 'edited while away', version: 2, entities: noEntities })] : [makeTweet({ id: '10', content: 'first page tweet', entities: noEntities })],
      lookup: () => ({ items: [makeTweet({ id: '10', content: 'edited while away', version: 2, entities: noEntities })], missing: [] }),
    });
    await screen.findByText('first page tweet');
    await waitFor(() => expect(FakeSocket.last?.sent.length).toBe(1));
    away = true;
    await reconnect();

    await screen.findByText('edited while away');
    expect(calls.filter((c) => c.url.startsWith('/api/tweets/lookup')).map((c) => c.url)).toEqual(['/api/tweets/lookup?ids=10']);
    // The new tweet waits behind the banner; the list did not move.
    expect(order()).toEqual(['10']);
    fireEvent.click(await screen.findByRole('button', { name: 'Show 1 new tweet' }));
    await screen.findByText('posted while away');
    expect(order()).toEqual(['30', '10']);
  });

  it('after a reconnection, drops the tweets deleted or hidden meanwhile', async () => {
    setup({ lookup: () => ({ items: [], missing: ['10'] }) });
    await screen.findByText('first page tweet');
    await waitFor(() => expect(FakeSocket.last?.sent.length).toBe(1));
    await reconnect();
    await waitFor(() => expect(screen.queryByText('first page tweet')).toBeNull());
  });

  it('leaves other paged queries alone (a thread’s pages have no items)', async () => {
    setup();
    await screen.findByText('first page tweet');
    const client = (await import('./helpers')).lastClient!;
    const parent = makeTweet({ id: '10', content: 'first page tweet', entities: noEntities });
    expect(() =>
      client.setQueryData(['tweets', 'thread', '10'], {
        pages: [{ ancestors: [], tweet: parent, descendants: { items: [], nextCursor: null } }],
        pageParams: [null],
      }),
    ).not.toThrow();
  });
});
