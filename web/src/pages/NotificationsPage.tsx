import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { keys } from '../api/cache';
import { pagedList, readPage } from '../api/paging';
import { NotificationItem } from '../components/NotificationItem';
import { useNextPageWhenVisible } from '../hooks/useNextPageWhenVisible';
import { LoadMoreButton, NewerPages, SkipPastList } from '../components/ListNav';
import { groupKey, listedGroups, newestGroupId } from '../notificationGroups';
import { filterTypes, NOTIFICATION_PAGE, useNotifications, type NotificationFilter } from '../notifications';
import { usePageTitle } from '../hooks/usePageTitle';

const TABS: { filter: NotificationFilter; label: string; empty: string }[] = [
  {
    filter: 'all',
    label: 'All',
    empty: 'Nothing yet. When someone follows you, mentions you, or likes, retweets, quotes or replies to your tweets, you’ll see it here.',
  },
  { filter: 'mentions', label: 'Mentions', empty: 'No mentions yet. Replies, quotes and tweets that mention you show up here.' },
];

/** Whether the tab is shown: what a hidden tab lists has not been seen. */
function usePageVisible(): boolean {
  const [visible, setVisible] = useState(() => !document.hidden);
  useEffect(() => {
    const on = () => setVisible(!document.hidden);
    document.addEventListener('visibilitychange', on);
    return () => document.removeEventListener('visibilitychange', on);
  }, []);
  return visible;
}

/**
 * The signed-in reader's notifications, grouped, newest first. Opening the page reads the
 * list afresh; once it is shown, everything up to its newest group is marked read (the
 * groups keep their "New" mark until the next visit). What arrives while it is open goes on
 * top (notifications.tsx) and is marked read in turn. Like every long list it is bounded
 * (api/paging.ts): read far down, it drops its top pages and reads them again going back up.
 */
export function NotificationsPage() {
  usePageTitle('Notifications');
  const [params] = useSearchParams();
  const tab = TABS.find((t) => t.filter === params.get('filter')) ?? TABS[0]!;
  const { markRead } = useNotifications();
  const query = useInfiniteQuery({
    queryKey: keys.notificationList(tab.filter),
    queryFn: (ctx) =>
      readPage(ctx, (cursor) => api.notifications({ types: filterTypes(tab.filter), cursor, limit: NOTIFICATION_PAGE }, ctx.signal)),
    ...pagedList,
    // What came while the page was closed is read on opening; while open, the stream keeps it current.
    staleTime: 0,
    refetchOnWindowFocus: false,
  });

  const sentinel = useRef<HTMLDivElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  useNextPageWhenVisible(sentinel, { hasNextPage, isFetchingNextPage, fetchNextPage });

  // After the fresh list is on screen (not a cached copy being refetched), and only while the tab is seen.
  const visible = usePageVisible();
  const settled = query.isSuccess && !query.isFetching;
  const newest = query.data ? newestGroupId(query.data.pages) : null;
  useEffect(() => {
    if (settled && visible && newest) markRead(newest);
  }, [settled, visible, newest, markRead]);

  const groups = query.data ? listedGroups(query.data.pages) : [];
  return (
    <section aria-labelledby="page-heading">
      <div className="page-heading">
        <h1 id="page-heading">Notifications</h1>
      </div>
      <nav aria-label="Filter notifications" className="tabs">
        {TABS.map((t) => (
          <Link
            key={t.filter}
            to={t.filter === 'all' ? '/notifications' : `/notifications?filter=${t.filter}`}
            aria-current={t.filter === tab.filter ? 'page' : undefined}
            className="tab"
          >
            {t.label}
          </Link>
        ))}
      </nav>
      {query.isPending ? (
        <p className="muted center">Loading notifications…</p>
      ) : query.isError ? (
        <div role="alert" className="error-panel">
          Could not load notifications: {query.error.message}{' '}
          <button type="button" onClick={() => void query.refetch()}>
            Try again
          </button>
        </div>
      ) : (
        <>
          {groups.length === 0 && <p className="muted center">{tab.empty}</p>}
          {query.hasPreviousPage && <NewerPages label="Newer notifications" loading={query.isFetchingPreviousPage} onLoad={query.fetchPreviousPage} />}
          {groups.length > 1 && <SkipPastList end={sentinel} />}
          <ul className="notification-list" aria-label={tab.filter === 'all' ? 'Notifications' : 'Mentions'}>
            {groups.map((g) => (
              <NotificationItem key={groupKey(g)} group={g} />
            ))}
          </ul>
          <div ref={sentinel} className="list-end" tabIndex={-1} aria-label="End of the list" role="group">
            {hasNextPage ? (
              <LoadMoreButton loading={isFetchingNextPage} onLoad={() => void fetchNextPage()} />
            ) : (
              groups.length > 0 && <span className="muted">That’s all.</span>
            )}
            {query.isFetchNextPageError && (
              <p role="alert" className="inline-error">
                Could not load more notifications. Try again.
              </p>
            )}
          </div>
        </>
      )}
    </section>
  );
}
