import { useRef, type ReactNode } from 'react';
import type { UseInfiniteQueryResult, InfiniteData } from '@tanstack/react-query';
import { listedTweets } from '../api/cache';
import type { Page, Tweet } from '../api/types';
import { useNextPageWhenVisible } from '../hooks/useNextPageWhenVisible';
import { ErrorBoundary } from './ErrorBoundary';
import { LoadMoreButton, NewerPages, SkipPastList } from './ListNav';
import { TweetCard } from './TweetCard';

/**
 * A list of tweets that asks for the next page (by the API's cursor) when its
 * end scrolls into view; a "Load more" button does the same from the keyboard.
 */
export function TweetList({
  query,
  empty,
}: {
  query: UseInfiniteQueryResult<InfiniteData<Page<Tweet>, unknown>>;
  /** Shown when the list has nothing: a sentence, or a whole panel (the empty home's suggestions). */
  empty: ReactNode;
}) {
  const sentinel = useRef<HTMLDivElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  useNextPageWhenVisible(sentinel, { hasNextPage, isFetchingNextPage, fetchNextPage });

  if (query.isPending) return <p className="muted center">Loading tweets…</p>;
  if (query.isError)
    return (
      <div role="alert" className="error-panel">
        Could not load tweets: {query.error.message}{' '}
        <button type="button" onClick={() => void query.refetch()}>
          Try again
        </button>
      </div>
    );

  const tweets = listedTweets(query.data.pages);
  return (
    <div className="tweet-list">
      {query.hasPreviousPage && <NewerPages label="Newer tweets" loading={query.isFetchingPreviousPage} onLoad={query.fetchPreviousPage} />}
      {tweets.length > 1 && <SkipPastList end={sentinel} />}
      {tweets.length === 0 && (typeof empty === 'string' ? <p className="muted center">{empty}</p> : empty)}
      {tweets.map((t) => (
        <ErrorBoundary key={t.id} what="this tweet">
          <TweetCard tweet={t} />
        </ErrorBoundary>
      ))}
      <div ref={sentinel} className="list-end" tabIndex={-1} aria-label="End of the list" role="group">
        {hasNextPage ? (
          <LoadMoreButton loading={isFetchingNextPage} onLoad={() => void fetchNextPage()} />
        ) : (
          tweets.length > 0 && <span className="muted">You’re all caught up.</span>
        )}
        {query.isFetchNextPageError && (
          <p role="alert" className="inline-error">
            Could not load more tweets. Try again.
          </p>
        )}
      </div>
    </div>
  );
}
