import { useCallback, useEffect } from 'react';
import { Link, useLocation } from 'react-router';
import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { keys } from '../api/cache';
import { pagedList, readPage } from '../api/paging';
import type { User, Visibility } from '../api/types';
import { ComposeBox } from '../components/ComposeBox';
import { NewTweetsBanner } from '../components/NewTweetsBanner';
import { SuggestedAccounts } from '../components/SuggestedAccounts';
import { TweetList } from '../components/TweetList';
import { useHomeFeed } from '../home';
import { usePageTitle } from '../hooks/usePageTitle';
import { showNewest } from '../scroll';

/** Every tweet of the reader's own belongs in their home, whoever may read it. */
const ALL_VISIBILITIES: readonly Visibility[] = ['public', 'unlisted', 'followers'];

/** What a new account sees: why home is empty, and whom to follow. */
function EmptyHome() {
  return (
    <div className="empty-home">
      <h2>Your home timeline is empty</h2>
      <p className="muted">
        Tweets and retweets of the people you follow show up here, newest first, with your own. Follow a few accounts
        to get started, or read the <Link to="/latest">latest tweets</Link> from everyone.
      </p>
      <SuggestedAccounts />
    </div>
  );
}

/**
 * The signed-in reader's home: whom they follow and their own tweets, newest first. New
 * entries wait behind the banner (collected by the app-wide home feed, see home.tsx).
 */
export function HomePage({ user }: { user: User }) {
  usePageTitle('Home');
  const feed = useHomeFeed();
  const query = useInfiniteQuery({
    queryKey: keys.home,
    queryFn: (ctx) => readPage(ctx, (cursor) => api.homeTimeline({ cursor, limit: 20 }, ctx.signal)),
    ...pagedList,
    // The stream keeps the list current; refetching would reshuffle what is being read.
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
  const partial = query.data?.pages.some((p) => p.partial) ?? false;

  // The phone's compose button comes here to write: the compose box gets focus.
  const location = useLocation();
  const compose = (location.state as { compose?: boolean } | null)?.compose === true;
  useEffect(() => {
    if (!compose) return;
    const frame = requestAnimationFrame(() =>
      document.querySelector<HTMLElement>('main form[aria-label="Compose a tweet"] textarea')?.focus(),
    );
    return () => cancelAnimationFrame(frame);
  }, [compose, location.key]);

  const { showWaiting } = feed;
  const show = useCallback(() => {
    showWaiting();
    showNewest();
  }, [showWaiting]);

  return (
    <section aria-labelledby="page-heading">
      <div className="page-heading">
        <h1 id="page-heading">Home</h1>
      </div>
      <ComposeBox user={user} listKey={keys.home} listVisibilities={ALL_VISIBILITIES} />
      {/* Until the list is there, what waits may be in it anyway. */}
      <NewTweetsBanner count={query.isSuccess ? feed.waiting.length : 0} onShow={show} />
      {partial && (
        <p role="status" className="notice">
          Your timeline could not be put together in time, so some tweets may be missing.{' '}
          <button type="button" className="link-button" onClick={() => void query.refetch()}>
            Load it again
          </button>
        </p>
      )}
      <TweetList query={query} empty={<EmptyHome />} />
    </section>
  );
}
