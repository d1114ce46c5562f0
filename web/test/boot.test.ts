import { afterEach, describe, expect, it } from 'vitest';
import { api, tokenStore } from '../src/api/client';
import { firstReads } from '../src/boot';
import { json, mockFetch } from './helpers';

afterEach(() => {
  delete window.__starlingEarly;
});

describe('early reads (boot.ts)', () => {
  it('asks for what the first screen reads, with the URLs the client builds', async () => {
    expect(firstReads('/', '', true)).toEqual(['/api/me', '/api/timelines/home?limit=20']);
    expect(firstReads('/', '', false)).toEqual([]);
    expect(firstReads('/latest', '?author=ada&hashtag=rust&x=1', false)).toEqual(['/api/tweets?hashtag=rust&author=ada&limit=20']);
    expect(firstReads('/settings', '', true)).toEqual(['/api/me']);
    // The client's own URLs for the same reads: an early answer is only used when they match.
    const calls = mockFetch(() => json(200, { items: [], nextCursor: null, partial: false }));
    tokenStore.set(null);
    await api.listTweets({ hashtag: 'rust', author: 'ada', cursor: null, limit: 20 });
    await api.homeTimeline({ limit: 20 });
    expect(calls.map((c) => c.url)).toEqual(['/api/tweets?hashtag=rust&author=ada&limit=20', '/api/timelines/home?limit=20']);
  });

  it('asks for a profile and a tweet page as their pages do', async () => {
    expect(firstReads('/u/ada%20b', '', true)).toEqual(['/api/me', '/api/users/@ada%20b', '/api/users/@ada%20b/tweets?replies=false&limit=20']);
    expect(firstReads('/u/ada', '?tab=replies', false)).toEqual(['/api/users/@ada', '/api/users/@ada/tweets?replies=true&limit=20']);
    expect(firstReads('/tweets/123', '', false)).toEqual(['/api/tweets/123', '/api/tweets/123/thread']);
    // Other pages under those paths, and segments that are not valid percent-encoding, read nothing early.
    expect(firstReads('/u/ada/followers', '', false)).toEqual([]);
    expect(firstReads('/tweets/123/history', '', false)).toEqual([]);
    expect(firstReads('/u/%E0%A4%A', '', false)).toEqual([]);
    // The URLs the pages' own reads build (ProfilePage, TweetPage), from the decoded route parameters.
    const calls = mockFetch(() => json(200, {}));
    tokenStore.set(null);
    await api.profile('ada b');
    await api.userTweets('ada b', { replies: false, cursor: null, limit: 20 });
    await api.userTweets('ada', { replies: true, cursor: null, limit: 20 });
    await api.getTweet('123');
    await api.thread('123', null);
    expect(calls.map((c) => c.url)).toEqual([
      '/api/users/@ada%20b',
      '/api/users/@ada%20b/tweets?replies=false&limit=20',
      '/api/users/@ada/tweets?replies=true&limit=20',
      '/api/tweets/123',
      '/api/tweets/123/thread',
    ]);
  });

  it('the client takes an early answer once, for the same token, while fresh', async () => {
    tokenStore.set('tok');
    const calls = mockFetch(() => json(200, { id: 'from the network' }));
    const early = (id: string) => Promise.resolve(json(200, { id }));
    window.__starlingEarly = { token: 'tok', at: performance.now(), ttlMs: 10_000, answers: new Map([['/api/me', early('early')]]) };
    expect(await api.me()).toEqual({ id: 'early' });
    expect(calls).toHaveLength(0);
    expect(await api.me()).toEqual({ id: 'from the network' });

    window.__starlingEarly = { token: 'another', at: performance.now(), ttlMs: 10_000, answers: new Map([['/api/me', early('early')]]) };
    expect(await api.me()).toEqual({ id: 'from the network' });
    window.__starlingEarly = { token: 'tok', at: performance.now() - 20_000, ttlMs: 10_000, answers: new Map([['/api/me', early('early')]]) };
    expect(await api.me()).toEqual({ id: 'from the network' });
    expect(calls).toHaveLength(3);
  });
});
