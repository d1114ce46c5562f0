// Connects the stream to the query cache: live counts, edits and removals land
// in every cached copy of a tweet. New tweets are not inserted here; the timelines
// (timelines.tsx) and the home feed (home.tsx) collect them behind a "N new tweets"
// banner. When updates may have been missed, the tweets on screen are asked about again
// (catchUp.ts).

import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { applyStreamEngagement, applyStreamTweet, keys, removeCachedTweet } from './api/cache';
import { LiveStream, streamUrl, type ResumeReason, type StreamListener, type StreamStatus } from './api/stream';
import { catchUpShownTweets } from './catchUp';
import type { StreamName } from './api/types';
import { useSession } from './session';

interface Live {
  subscribe(listener: StreamListener): () => void;
  /** A per-user stream (signed in only), on until the returned function is called. */
  openStream(name: StreamName): () => void;
  /** Called whenever updates may have been missed (a reconnection, a tab shown again after a while). */
  onResume(listener: (why: ResumeReason) => void): () => void;
  status: StreamStatus;
  /** Ask for a connection now (the offline banner's "Try now"). */
  wake(): void;
}

const LiveContext = createContext<Live>({
  subscribe: () => () => {},
  openStream: () => () => {},
  onResume: () => () => {},
  status: 'closed',
  wake: () => {},
});

export function LiveProvider({ children, stream }: { children: ReactNode; stream?: LiveStream }) {
  const qc = useQueryClient();
  const { token } = useSession();
  const tokenRef = useRef(token);
  tokenRef.current = token;
  const live = useMemo(() => stream ?? new LiveStream(() => streamUrl(tokenRef.current)), [stream]);
  const [status, setStatus] = useState<StreamStatus>(live.status);

  useEffect(() => live.onStatus(setStatus), [live]);

  useEffect(
    () =>
      live.subscribe((m) => {
        switch (m.type) {
          case 'engagement.updated':
            applyStreamEngagement(qc, m.data.id, m.data.engagement);
            break;
          case 'tweet.updated':
            applyStreamTweet(qc, m.data);
            break;
          case 'tweet.deleted':
            // Archived tweets also arrive here; the author still sees them under "My tweets".
            removeCachedTweet(qc, m.data.id, keys.timelines);
            break;
          default:
            break;
        }
      }),
    [live, qc],
  );

  useEffect(() => {
    let ctrl: AbortController | null = null;
    const off = live.onResume(() => {
      ctrl?.abort();
      ctrl = new AbortController();
      catchUpShownTweets(qc, ctrl.signal).catch(() => {
        // The next reconnection or return to the tab tries again.
      });
    });
    return () => {
      off();
      ctrl?.abort();
    };
  }, [live, qc]);

  useEffect(() => {
    live.restart();
    return () => live.stop();
  }, [live, token]);

  // The functions stay the same while the stream does, so effects that use them do not rerun on status changes.
  const subscribe = useCallback((l: StreamListener) => live.subscribe(l), [live]);
  const openStream = useCallback((n: StreamName) => live.openStream(n), [live]);
  const onResume = useCallback((l: (why: ResumeReason) => void) => live.onResume(l), [live]);
  const wake = useCallback(() => live.wake(), [live]);
  const value = useMemo(() => ({ subscribe, openStream, onResume, status, wake }), [subscribe, openStream, onResume, status, wake]);
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

export function useLive(): Live {
  return useContext(LiveContext);
}
