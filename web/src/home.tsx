// The live side of the home timeline, kept for the whole app rather than by the Home
// page: while someone is signed in, the socket's `home` stream is on, and each entry it
// announces waits behind the "N new tweets" banner until the reader asks for it, whatever
// page they are on meanwhile (the header's Home link counts them). The reader's own
// entries (a post from another tab, a retweet, a published draft) go on top at once, as
// the compose box puts a new tweet. A home with nothing in it has nothing to keep still,
// so an announcement there refetches it instead.

import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { hashKey, useQueryClient, type InfiniteData, type QueryClient } from '@tanstack/react-query';
import { api } from './api/client';
import { keys, prependToList } from './api/cache';
import type { HomePage, Relationship, Tweet } from './api/types';
import { caughtUp, collect, withEdit, withoutAuthor, withoutListed, withoutTweet } from './incoming';
import { useLive } from './live';
import { useSession } from './session';

export type HomePages = InfiniteData<HomePage, string | null>;

/**
 * A follow's backfill (the account's recent tweets) is delivered asynchronously, usually
 * within ~100 ms, and announced by no event: a home still empty this long after a follow
 * is read again.
 */
export const BACKFILL_REFETCH_MS = 1_000;

export interface HomeFeed {
  /** Entries the stream announced that the home list does not show yet, newest first. */
  waiting: readonly Tweet[];
  /** Puts the waiting entries on top of the home list. */
  showWaiting(): void;
  /** After a follow, unfollow, block or mute of `userId` answered `relationship`. */
  relationshipChanged(userId: string, relationship: Relationship): void;
}

const HomeFeedContext = createContext<HomeFeed>({ waiting: [], showWaiting: () => {}, relationshipChanged: () => {} });

function listedIds(data: HomePages | undefined): Set<string> {
  return new Set(data?.pages.flatMap((p) => p.items.map((t) => t.id)) ?? []);
}

function isEmptyList(data: HomePages | undefined): boolean {
  return !!data && data.pages.every((p) => p.items.length === 0);
}

function refetchHome(qc: QueryClient) {
  void qc.invalidateQueries({ queryKey: keys.home, exact: true });
}

export function HomeFeedProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const { subscribe, openStream, onResume } = useLive();
  const { user } = useSession();
  const userId = user?.id ?? null;
  const [waiting, setWaiting] = useState<readonly Tweet[]>([]);
  const backfillTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  // Another reader (or none) starts with nothing waiting.
  useEffect(() => {
    setWaiting([]);
    return () => {
      if (backfillTimer.current) clearTimeout(backfillTimer.current);
      backfillTimer.current = null;
    };
  }, [userId]);

  // Only a signed-in socket may ask for `home` (the token changes restart the socket).
  useEffect(() => (userId ? openStream('home') : undefined), [openStream, userId]);

  useEffect(() => {
    if (!userId) return;
    return subscribe((m) => {
      switch (m.type) {
        case 'home.update': {
          const entry = m.data;
          const data = qc.getQueryData<HomePages>(keys.home);
          if (entry.author.id === userId) prependToList(qc, keys.home, [entry]);
          else if (isEmptyList(data)) refetchHome(qc);
          else setWaiting((w) => collect(w, entry, listedIds(data)));
          break;
        }
        case 'tweet.updated':
          setWaiting((w) => withEdit(w, m.data));
          break;
        case 'tweet.deleted':
          setWaiting((w) => withoutTweet(w, m.data.id));
          break;
        default:
          break;
      }
    });
  }, [subscribe, qc, userId]);

  // Whatever puts entries into the list (a refetch, the reader's own entry) takes them out of waiting.
  useEffect(() => {
    const homeHash = hashKey(keys.home);
    return qc.getQueryCache().subscribe((event) => {
      if (event.type !== 'updated' || event.query.queryHash !== homeHash) return;
      const listed = listedIds(event.query.state.data as HomePages | undefined);
      setWaiting((w) => withoutListed(w, listed));
    });
  }, [qc]);

  // After a reconnection (or a tab hidden a while), what was announced meanwhile is not
  // announced again: the first page says what the list lacks.
  useEffect(() => {
    if (!userId) return;
    let ctrl: AbortController | null = null;
    const off = onResume(() => {
      if (!qc.getQueryData<HomePages>(keys.home)) return;
      ctrl?.abort();
      ctrl = new AbortController();
      api
        .homeTimeline({ limit: 20 }, ctrl.signal)
        .then((page) => {
          const data = qc.getQueryData<HomePages>(keys.home);
          if (isEmptyList(data)) return refetchHome(qc);
          const listed = listedIds(data);
          prependToList(qc, keys.home, caughtUp([], page.items, listed, userId).own);
          setWaiting((w) => caughtUp(w, page.items, listed, userId).waiting);
        })
        .catch(() => {
          // The next reconnection or a reload catches up instead.
        });
    });
    return () => {
      off();
      ctrl?.abort();
    };
  }, [onResume, qc, userId]);

  const showWaiting = useCallback(() => {
    prependToList(qc, keys.home, waiting);
    setWaiting([]);
  }, [qc, waiting]);

  const relationshipChanged = useCallback(
    (otherId: string, r: Relationship) => {
      // Home is decided again on every read: a follow brings the account's recent tweets in, an
      // unfollow, block or mute takes them out. The list is refetched (at once if shown,
      // otherwise when next shown), and whom to suggest changed too.
      refetchHome(qc);
      void qc.invalidateQueries({ queryKey: keys.suggestions, refetchType: 'none' });
      if (r.following && !r.blocking && !r.muting) {
        if (backfillTimer.current) clearTimeout(backfillTimer.current);
        backfillTimer.current = setTimeout(() => {
          backfillTimer.current = null;
          // Only a home still empty waits for it; one with entries is not reshuffled under the reader.
          if (isEmptyList(qc.getQueryData<HomePages>(keys.home))) refetchHome(qc);
        }, BACKFILL_REFETCH_MS);
      } else {
        setWaiting((w) => withoutAuthor(w, otherId));
      }
    },
    [qc],
  );

  const value = useMemo(() => ({ waiting, showWaiting, relationshipChanged }), [waiting, showWaiting, relationshipChanged]);
  return <HomeFeedContext.Provider value={value}>{children}</HomeFeedContext.Provider>;
}

export function useHomeFeed(): HomeFeed {
  return useContext(HomeFeedContext);
}
