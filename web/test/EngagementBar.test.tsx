import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import type { Tweet } from '../src/api/types';
import { describe, expect, it } from 'vitest';
import { applyStreamEngagement, keys } from '../src/api/cache';
import { apiError, bob, deferred, json, makeTweet, mockFetch, renderTweet } from './helpers';

const likeButton = () => screen.getByTestId('like-button');
const likeCount = () => screen.getByTestId('like-count').textContent;

describe('like', () => {
  it('counts at once, then takes the server answer', async () => {
    const reply = deferred<Response>();
    const calls = mockFetch(() => reply.promise);
    renderTweet(makeTweet(), { user: bob });

    fireEvent.click(likeButton());
    await waitFor(() => expect(likeCount()).toBe('4'));
    expect(likeButton().getAttribute('aria-pressed')).toBe('true');
    expect(calls[0]).toMatchObject({ method: 'POST', url: '/api/tweets/7000/engagement', body: { action: 'like' } });

    // The server counted another like meanwhile: its number wins.
    await act(async () => reply.resolve(json(200, { ...makeTweet().engagement, likes: 5, likedByCurrentUser: true })));
    await waitFor(() => expect(likeCount()).toBe('5'));
    expect(likeButton().getAttribute('aria-pressed')).toBe('true');
  });

  it('rolls back and says why when the server refuses', async () => {
    const reply = deferred<Response>();
    mockFetch(() => reply.promise);
    renderTweet(makeTweet(), { user: bob });

    fireEvent.click(likeButton());
    await waitFor(() => expect(likeCount()).toBe('4'));
    await act(async () => reply.resolve(apiError(409, 'read_only', 'tweet is archived')));
    await waitFor(() => expect(likeCount()).toBe('3'));
    expect(likeButton().getAttribute('aria-pressed')).toBe('false');
    expect(screen.getByRole('alert').textContent).toMatch(/could not like this tweet: tweet is archived/i);
  });

  it('rolls back only its own change when the stream moved the count meanwhile', async () => {
    const reply = deferred<Response>();
    mockFetch(() => reply.promise);
    const { client } = renderTweet(makeTweet(), { user: bob });

    fireEvent.click(likeButton());
    await waitFor(() => expect(likeCount()).toBe('4'));
    // Two other people like it while our request is out.
    act(() => applyStreamEngagement(client, '7000', { ...makeTweet().engagement, likes: 5 }));
    await act(async () => reply.resolve(apiError(500, 'internal', 'internal error')));
    await waitFor(() => expect(likeCount()).toBe('4'));
  });

  it('ignores a second click while the first is pending (no double like)', async () => {
    const reply = deferred<Response>();
    const calls = mockFetch(() => reply.promise);
    renderTweet(makeTweet(), { user: bob });

    fireEvent.click(likeButton());
    fireEvent.click(likeButton());
    fireEvent.click(likeButton());
    await waitFor(() => expect(likeCount()).toBe('4'));
    expect(calls).toHaveLength(1);
    expect(likeButton().getAttribute('aria-busy')).toBe('true');

    await act(async () => reply.resolve(json(200, { ...makeTweet().engagement, likes: 4, likedByCurrentUser: true })));
    await waitFor(() => expect(likeButton().getAttribute('aria-busy')).toBeNull());

    // Once settled, the next click is an unlike.
    mockFetch(() => json(200, { ...makeTweet().engagement, likes: 3, likedByCurrentUser: false }));
    fireEvent.click(likeButton());
    await waitFor(() => expect(likeCount()).toBe('3'));
    await waitFor(() => expect(likeButton().getAttribute('aria-pressed')).toBe('false'));
  });

  it('sends unlike for a tweet already liked, and retweet works the same way', async () => {
    const calls = mockFetch((c) => json(200, { ...makeTweet().engagement, ...(c.body as { action: string }).action === 'unlike' ? { likes: 2 } : { retweets: 2, retweetedByCurrentUser: true } }));
    renderTweet(makeTweet({ engagement: { ...makeTweet().engagement, likedByCurrentUser: true } }), { user: bob });
    fireEvent.click(likeButton());
    fireEvent.click(screen.getByTestId('retweet-button'));
    await waitFor(() => expect(screen.getByTestId('retweet-count').textContent).toBe('2'));
    expect(calls.map((c) => (c.body as { action: string }).action)).toEqual(['unlike', 'retweet']);
  });

  it('keeps the viewer’s own like when live counts arrive (the stream is viewer-neutral)', async () => {
    mockFetch(() => json(500, {}));
    const { client } = renderTweet(makeTweet({ engagement: { ...makeTweet().engagement, likedByCurrentUser: true } }), { user: bob });
    act(() => applyStreamEngagement(client, '7000', { ...makeTweet().engagement, likes: 42, likedByCurrentUser: false }));
    await waitFor(() => expect(likeCount()).toBe('42'));
    expect(likeButton().getAttribute('aria-pressed')).toBe('true');
  });

  it('does nothing for a signed-out reader', async () => {
    const calls = mockFetch(() => json(500, {}));
    renderTweet(makeTweet(), { user: null });
    fireEvent.click(likeButton());
    await act(async () => {});
    expect(calls).toHaveLength(0);
    expect(likeCount()).toBe('3');
  });

  it('a read of the tweet in flight at the click cannot overwrite the new count', async () => {
    const like = deferred<Response>();
    mockFetch(() => like.promise);
    const tweet = makeTweet();
    const { client } = renderTweet(tweet, { user: bob });
    // A refetch started before the click, answered with the counts from before it.
    const stale = deferred<Tweet>();
    const refetch = client.fetchQuery({ queryKey: keys.tweet(tweet.id), queryFn: () => stale.promise, staleTime: 0 }).catch(() => null);

    fireEvent.click(likeButton());
    await waitFor(() => expect(likeCount()).toBe('4'));
    await act(async () => {
      stale.resolve(tweet);
      await refetch;
    });
    // TanStack hands results to the page on its next tick: let any such update arrive.
    await act(async () => new Promise((r) => setTimeout(r, 50)));
    expect(likeCount()).toBe('4');
    expect(likeButton().getAttribute('aria-pressed')).toBe('true');

    await act(async () => like.resolve(json(200, { ...tweet.engagement, likes: 4, likedByCurrentUser: true })));
    await waitFor(() => expect(likeButton().getAttribute('aria-busy')).toBeNull());
    expect(likeCount()).toBe('4');
  });

  it('a like and a retweet clicked together keep both, whichever answer comes last', async () => {
    const like = deferred<Response>();
    const retweet = deferred<Response>();
    mockFetch((c) => ((c.body as { action: string }).action === 'like' ? like.promise : retweet.promise));
    const tweet = makeTweet();
    renderTweet(tweet, { user: bob });
    fireEvent.click(likeButton());
    fireEvent.click(screen.getByTestId('retweet-button'));
    await waitFor(() => expect(screen.getByTestId('retweet-button').getAttribute('aria-pressed')).toBe('true'));
    // The retweet is answered first; the like's answer, taken before the retweet, comes last.
    await act(async () => retweet.resolve(json(200, { ...tweet.engagement, likes: 4, likedByCurrentUser: true, retweets: 2, retweetedByCurrentUser: true })));
    await act(async () => like.resolve(json(200, { ...tweet.engagement, likes: 4, likedByCurrentUser: true })));
    await waitFor(() => expect(likeButton().getAttribute('aria-busy')).toBeNull());
    expect(screen.getByTestId('retweet-button').getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByTestId('retweet-count').textContent).toBe('2');
    expect(likeButton().getAttribute('aria-pressed')).toBe('true');
  });
});
