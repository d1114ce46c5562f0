import { screen } from '@testing-library/react';
import { QueryClient, type InfiniteData } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { keys, patchCachedTweet, removeCachedTweet } from '../src/api/cache';
import type { Page, Tweet } from '../src/api/types';
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
});
