import { useCallback } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { keys } from '../api/cache';
import { pagedList, readPage } from '../api/paging';
import { ComposeBox } from '../components/ComposeBox';
import { NewTweetsBanner } from '../components/NewTweetsBanner';
import { TweetList } from '../components/TweetList';
import { useSession } from '../session';
import { usePageTitle } from '../hooks/usePageTitle';
import { showNewest } from '../scroll';
import { useTimelineWaiting } from '../timelines';

/** The latest public tweets, optionally filtered by hashtag or author, with live "new tweets". */
export function TimelinePage() {
  const { user } = useSession();
  const [params] = useSearchParams();
  const hashtag = params.get('hashtag') ?? undefined;
  usePageTitle(hashtag ? `#${hashtag}` : 'Latest');
  const author = params.get('author') ?? undefined;
  const listKey = keys.timeline({ hashtag, author });

  const query = useInfiniteQuery({
    queryKey: listKey,
    queryFn: (ctx) => readPage(ctx, (cursor) => api.listTweets({ hashtag, author, cursor, limit: 20 }, ctx.signal)),
    ...pagedList,
    // The stream keeps the list current; refetching would reshuffle what is being read.
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });

  // Collected at the app level (timelines.tsx): nothing is lost while another page is shown.
  const { waiting, showWaiting } = useTimelineWaiting({ hashtag, author });
  const showIncoming = useCallback(() => {
    showWaiting();
    showNewest();
  }, [showWaiting]);

  const heading = hashtag ? `#${hashtag.replace(/^#/, '')}` : author ? `Tweets by @${author}` : 'Latest';
  return (
    <section aria-labelledby="page-heading">
      <div className="page-heading">
        <h1 id="page-heading">{heading}</h1>
        {(hashtag || author) && (
          <Link to="/latest" className="link-button">
            Show all tweets
          </Link>
        )}
      </div>
      {user ? (
        <ComposeBox user={user} listKey={listKey} />
      ) : (
        user === null && (
          <p className="notice">
            <Link to="/login">Log in</Link> or <Link to="/signup">sign up</Link> to post, like and retweet.
          </p>
        )
      )}
      <NewTweetsBanner count={waiting.length} onShow={showIncoming} />
      {/* Shown once the session is known: the compose box above it would push it down otherwise (the list is fetched meanwhile). */}
      {user !== undefined && <TweetList query={query} empty="No tweets yet." />}
    </section>
  );
}
