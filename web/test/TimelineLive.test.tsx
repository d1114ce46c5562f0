import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { LiveProvider } from '../src/live';
import { TimelinePage } from '../src/pages/TimelinePage';
import { ada, bob, FakeSocket, json, makeTweet, mockFetch, renderWithProviders } from './helpers';

const noEntities = { hashtags: [], mentions: [], urls: [], cashtags: [] };

function setup() {
  vi.stubGlobal('WebSocket', FakeSocket);
  const first = makeTweet({ id: '10', content: 'first page tweet', entities: noEntities });
  const second = makeTweet({ id: '5', content: 'second page tweet', entities: noEntities });
  const calls = mockFetch((c) => {
    if (c.url.includes('cursor=c1')) return json(200, { items: [second], nextCursor: null });
    return json(200, { items: [first], nextCursor: 'c1' });
  });
  renderWithProviders(
    <LiveProvider>
      <TimelinePage />
    </LiveProvider>,
    { user: bob },
  );
  return calls;
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
});
