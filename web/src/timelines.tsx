// The live side of the public timelines (Latest, a hashtag, an author), kept for the whole
// app rather than by the page showing one: every timeline still in the query cache keeps
// collecting the tweets the stream announces for it behind its "N new tweets" banner, so
// nothing is dropped while the reader is on another page. After updates may have been
// missed (a reconnection, a tab hidden a while), each timeline on screen reads its first
// page and collects what it lacks. A timeline that left the cache is read afresh when next
// shown, so it has nothing to keep.

import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { hashKey, useQueryClient, type InfiniteData, type QueryClient, type QueryKey } from '@tanstack/react-query';
import { api, type ListTweetsParams } from './api/client';
import { cachedTweetIds, keys, prependToList } from './api/cache';
import type { Page, Tweet } from './api/types';
import { caughtUp, collect, withEdit, withoutListed, withoutTweet } from './incoming';
import { useLive } from './live';
import { useSession } from './session';

type TimelineParams = Omit<ListTweetsParams, 'cursor'>;
type Waiting = ReadonlyMap<string, readonly Tweet[]>;

/** Whether a public tweet belongs in a timeline with these filters (as the server filters). */
export function matches(t: Tweet, p: TimelineParams): boolean {
  if (p.author && t.author.username.toLowerCase() !== p.author.toLowerCase() && t.author.id !== p.author) return false;
  if (p.hashtag) {
    const want = p.hashtag.replace(/^#/, '').toLowerCase();
    if (!t.entities.hashtags.some((h) => h.tag.toLowerCase() === want)) return false;
  }
  return true;
}

/** A public timeline's filters, from its query key (`keys.timeline`); null for any other query (home is under 'list' too). */
function timelineParams(key: QueryKey): TimelineParams | null {
  const p = key[2];
  return key[0] === keys.timelines[0] && key[1] === keys.timelines[1] && typeof p === 'object' && p !== null ? (p as TimelineParams) : null;
}

/** The cached public timelines, with their filters. */
function cachedTimelines(qc: QueryClient, type: 'all' | 'active' = 'all') {
  return qc
    .getQueryCache()
    .findAll({ queryKey: keys.timelines, type })
    .flatMap((q) => {
      const params = timelineParams(q.queryKey);
      return params ? [{ hash: q.queryHash, key: q.queryKey, params }] : [];
    });
}

function update(waiting: Waiting, hash: string, fn: (list: readonly Tweet[]) => readonly Tweet[]): Waiting {
  const before = waiting.get(hash) ?? [];
  const after = fn(before);
  if (after === before) return waiting;
  const next = new Map(waiting);
  if (after.length === 0) next.delete(hash);
  else next.set(hash, after);
  return next;
}

function updateAll(waiting: Waiting, fn: (list: readonly Tweet[]) => readonly Tweet[]): Waiting {
  let next = waiting;
  for (const hash of waiting.keys()) next = update(next, hash, fn);
  return next;
}

const TimelinesContext = createContext<{ waiting: Waiting; take(hash: string): readonly Tweet[] }>({
  waiting: new Map(),
  take: () => [],
});

export function TimelinesProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const { subscribe, onResume } = useLive();
  const { user } = useSession();
  const userId = user?.id ?? null;
  const [waiting, setWaiting] = useState<Waiting>(new Map());

  // What waits was judged for one reader (their blocks and mutes).
  useEffect(() => setWaiting(new Map()), [userId]);

  useEffect(
    () =>
      subscribe((m) => {
        if (m.type === 'tweet.created') {
          const t = m.data;
          // The reader's own tweets are placed by the compose box already.
          if (userId && t.author.id === userId) return;
          const timelines = cachedTimelines(qc).filter((l) => matches(t, l.params));
          if (timelines.length === 0) return;
          setWaiting((w) => timelines.reduce((acc, l) => update(acc, l.hash, (list) => collect(list, t, cachedTweetIds(qc, l.key))), w));
        } else if (m.type === 'tweet.deleted') {
          setWaiting((w) => updateAll(w, (list) => withoutTweet(list, m.data.id)));
        } else if (m.type === 'tweet.updated') {
          setWaiting((w) => updateAll(w, (list) => withEdit(list, m.data)));
        }
      }),
    [subscribe, qc, userId],
  );

  // A refetch (or the reader's own post) that lists an entry takes it out of waiting; a
  // timeline dropped from the cache takes its waiting entries along.
  useEffect(
    () =>
      qc.getQueryCache().subscribe((event) => {
        if (event.type !== 'updated' && event.type !== 'removed') return;
        const hash = event.query.queryHash;
        if (event.type === 'removed') {
          setWaiting((w) => update(w, hash, () => []));
          return;
        }
        // Only the public timelines' pages (a thread's pages, for one, have no `items`).
        if (!timelineParams(event.query.queryKey)) return;
        const data = event.query.state.data as InfiniteData<Page<Tweet>> | undefined;
        if (!data?.pages) return;
        const listed = new Set(data.pages.flatMap((p) => p.items.map((t) => t.id)));
        setWaiting((w) => (w.has(hash) ? update(w, hash, (list) => withoutListed(list, listed)) : w));
      }),
    [qc],
  );

  useEffect(() => {
    let ctrl: AbortController | null = null;
    const off = onResume(() => {
      ctrl?.abort();
      ctrl = new AbortController();
      const signal = ctrl.signal;
      for (const l of cachedTimelines(qc, 'active')) {
        api
          .listTweets({ ...l.params, limit: 20 }, signal)
          .then((page) => {
            const listed = cachedTweetIds(qc, l.key);
            if (listed.size === 0) return void qc.invalidateQueries({ queryKey: l.key, exact: true });
            prependToList(qc, l.key, caughtUp([], page.items, listed, userId).own);
            setWaiting((w) => update(w, l.hash, (list) => caughtUp(list, page.items, listed, userId).waiting));
          })
          .catch(() => {
            // The next reconnection or return to the tab tries again.
          });
      }
    });
    return () => {
      off();
      ctrl?.abort();
    };
  }, [onResume, qc, userId]);

  const take = useCallback(
    (hash: string) => {
      const list = waiting.get(hash) ?? [];
      if (list.length > 0) setWaiting((w) => update(w, hash, () => []));
      return list;
    },
    [waiting],
  );
  const value = useMemo(() => ({ waiting, take }), [waiting, take]);
  return <TimelinesContext.Provider value={value}>{children}</TimelinesContext.Provider>;
}

/** The entries waiting behind one timeline's banner, newest first, and how to show them. */
export function useTimelineWaiting(params: TimelineParams): { waiting: readonly Tweet[]; showWaiting(): void } {
  const qc = useQueryClient();
  const { waiting, take } = useContext(TimelinesContext);
  const key = keys.timeline(params);
  const hash = hashKey(key);
  const list = waiting.get(hash) ?? [];
  const showWaiting = useCallback(() => {
    prependToList(qc, keys.timeline(params), take(hash));
    // params is rebuilt on every render; its hash stands for it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [qc, take, hash]);
  return { waiting: list, showWaiting };
}
