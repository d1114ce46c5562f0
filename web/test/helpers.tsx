// Test helpers: a fake `fetch` (unit tests only; the e2e test uses the real server)
// and providers around a component.
import type { ReactElement, ReactNode } from 'react';
import { act, render } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { vi } from 'vitest';
import { keys } from '../src/api/cache';
import type { StreamServerMessage, Tweet, User } from '../src/api/types';
import { SessionContext, type Session } from '../src/session';
import { TweetCard } from '../src/components/TweetCard';

export interface Call {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

export type Handler = (call: Call) => Response | Promise<Response>;

export function json(status: number, body: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

export function apiError(status: number, code: string, message: string, field?: string): Response {
  return json(status, { error: { code, message, ...(field ? { field } : {}) } });
}

/** Replaces global fetch; returns the list of calls made. */
export function mockFetch(handler: Handler): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const headers: Record<string, string> = {};
      new Headers(init?.headers).forEach((v, k) => (headers[k] = v));
      const call: Call = {
        method: init?.method ?? 'GET',
        url: String(input),
        headers,
        body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
      };
      calls.push(call);
      return handler(call);
    }),
  );
  return calls;
}

/** A promise to resolve by hand, to hold a request "in flight". */
export function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

export const ada: User = { id: '100', username: 'ada', displayName: 'Ada', createdAt: '2026-01-01T00:00:00Z' };
export const bob: User = { id: '200', username: 'bob', displayName: 'Bob', createdAt: '2026-01-01T00:00:00Z' };

/** One time for every tweet made here, so lists that order by `createdAt` fall back to ids. */
const A_MINUTE_AGO = new Date(Date.now() - 60_000).toISOString();

export function makeTweet(over: Partial<Tweet> = {}): Tweet {
  const id = over.id ?? '7000';
  return {
    id,
    kind: 'tweet',
    visibility: 'public',
    conversationId: id,
    replyToUserId: null,
    author: { id: ada.id, username: ada.username, displayName: ada.displayName },
    content: 'Hello #starling',
    contentHash: 'a'.repeat(64),
    version: 1,
    state: 'published',
    createdAt: A_MINUTE_AGO,
    updatedAt: A_MINUTE_AGO,
    replyToId: null,
    entities: { hashtags: [{ tag: 'starling', indices: [6, 15] }], mentions: [], urls: [], cashtags: [] },
    media: [],
    engagement: {
      likes: 3,
      retweets: 1,
      replies: 0,
      quotes: 0,
      views: 10,
      likedByCurrentUser: false,
      retweetedByCurrentUser: false,
      velocity: { oneMinute: 0, fiveMinutes: 0, sixtyMinutes: 0 },
    },
    ...over,
  };
}

export function fakeSession(user: User | null): Session {
  return {
    user,
    token: user ? 'test-token' : null,
    login: vi.fn(),
    register: vi.fn(),
    logout: vi.fn(),
  };
}

export function renderWithProviders(ui: ReactElement, opts: { user?: User | null; client?: QueryClient; route?: string } = {}) {
  const client =
    opts.client ?? new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity }, mutations: { retry: false } } });
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={client}>
      <SessionContext.Provider value={fakeSession(opts.user === undefined ? ada : opts.user)}>
        <MemoryRouter initialEntries={[opts.route ?? '/']}>{children}</MemoryRouter>
      </SessionContext.Provider>
    </QueryClientProvider>
  );
  lastClient = client;
  return { client, ...render(ui, { wrapper }) };
}

/** The query client of the last `renderWithProviders`, for tests whose setup renders. */
export let lastClient: QueryClient | null = null;

/** Shows the cached copy of a tweet, as the real lists do, so cache updates re-render it. */
export function CachedTweetCard({ id }: { id: string }) {
  const q = useQuery<Tweet>({ queryKey: keys.tweet(id), queryFn: () => Promise.reject(new Error('not in cache')), staleTime: Infinity });
  return q.data ? <TweetCard tweet={q.data} /> : null;
}

export function renderTweet(tweet: Tweet, opts: { user?: User | null } = {}) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  client.setQueryData(keys.tweet(tweet.id), tweet);
  return renderWithProviders(<CachedTweetCard id={tweet.id} />, { ...opts, client });
}

/** Stands in for the browser WebSocket (`vi.stubGlobal('WebSocket', FakeSocket)`); `last` is the app's connection. */
export class FakeSocket {
  static last: FakeSocket | null = null;
  sent: unknown[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.last = this;
    queueMicrotask(() => this.onopen?.());
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {}
  push(message: StreamServerMessage) {
    act(() => this.onmessage?.({ data: JSON.stringify(message) }));
  }
  /** The server went away (the app reconnects after its backoff). */
  drop() {
    act(() => this.onclose?.());
  }
}
