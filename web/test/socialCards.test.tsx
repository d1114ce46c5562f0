import { screen } from '@testing-library/react';
import { QueryClient, type InfiniteData } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { keys, patchCachedTweet, removeCachedTweet } from '../src/api/cache';
import type { NotificationGroupPage, Page, Thread, Tweet } from '../src/api/types';
import { TweetCard } from '../src/components/TweetCard';
import { bob, makeTweet, renderWithProviders } from './helpers';

const original = makeTweet({ id: '1', content: 'The original' });
const retweet = makeTweet({
  id: '2',
  kind: 'retweet',
  content: '',
  author: { id: bob.id, username: bob.username, displayName: bob.displayName },
  retweetOf: original,
});

describe('retweets and quotes in lists', () => {
  it('shows a retweet as "<retweeter> retweeted" above the original', () => {
    renderWithProviders(<TweetCard tweet={retweet} />, { user: null });
    expect(screen.getByText(/retweeted/).textContent).toContain('Bob retweeted');
    expect(screen.getByRole('link', { name: 'Bob' }).getAttribute('href')).toBe('/u/bob');
    expect(document.querySelector('article')?.getAttribute('data-tweet-id')).toBe('1');
    expect(screen.getByText('The original')).toBeTruthy();
  });

  it('embeds a quoted tweet, or says it is unavailable', () => {
    const quote = makeTweet({ id: '3', kind: 'quote', content: 'Look at this', quoteOf: original });
    const { unmount } = renderWithProviders(<TweetCard tweet={quote} />, { user: null });
    expect(document.querySelector('[data-quoted-id="1"]')?.textContent).toContain('The original');
    unmount();
    renderWithProviders(<TweetCard tweet={{ ...quote, quoteOf: { id: '1', unavailable: true } }} />, { user: null });
    expect(screen.getByText('This tweet is unavailable')).toBeTruthy();
  });

  it('a like on the original reaches the retweet entry holding it, and a removed original takes the entry along', () => {
    const qc = new QueryClient();
    const key = keys.userTweets('bob', false);
    qc.setQueryData<InfiniteData<Page<Tweet>, string | null>>(key, { pages: [{ items: [retweet], nextCursor: null }], pageParams: [null] });
    patchCachedTweet(qc, '1', (t) => ({ ...t, engagement: { ...t.engagement, likes: 9 } }));
    const page = () => qc.getQueryData<InfiniteData<Page<Tweet>, string | null>>(key)!.pages[0]!.items;
    expect(page()[0]!.retweetOf?.engagement.likes).toBe(9);
    removeCachedTweet(qc, '1');
    expect(page()).toEqual([]);
  });

  it('a like or an edit reaches the tweet a notification shows (with a thread cached too), and a removed tweet takes its group along', () => {
    const qc = new QueryClient();
    const reply = makeTweet({ id: '5', content: 'A reply', replyToId: '1' });
    qc.setQueryData<InfiniteData<Thread, string | null>>(keys.thread('1'), {
      pages: [{ ancestors: [], tweet: original, descendants: { items: [{ ...reply, depth: 1 }], nextCursor: null } }],
      pageParams: [null],
    });
    const group = { id: '40', type: 'like' as const, actors: [bob], count: 1, latestAt: '2026-01-01T00:00:00Z', unread: true };
    const key = keys.notificationList('all');
    qc.setQueryData<InfiniteData<NotificationGroupPage, string | null>>(key, {
      pages: [{ grouped: true, items: [{ ...group, tweet: original }, { ...group, id: '39', type: 'follow' as const, tweet: null }, { ...group, id: '38', tweet: reply }], nextCursor: null }],
      pageParams: [null],
    });
    const groups = () => qc.getQueryData<InfiniteData<NotificationGroupPage, string | null>>(key)!.pages[0]!.items;

    patchCachedTweet(qc, '1', (t) => ({ ...t, content: 'The original, edited', engagement: { ...t.engagement, likes: 9 } }));
    expect(groups()[0]!.tweet).toMatchObject({ content: 'The original, edited', engagement: { likes: 9 } });
    expect(qc.getQueryData<InfiniteData<Thread, string | null>>(keys.thread('1'))!.pages[0]!.tweet.content).toBe('The original, edited');

    removeCachedTweet(qc, '5');
    expect(groups().map((g) => g.id)).toEqual(['40', '39']);
  });
});
