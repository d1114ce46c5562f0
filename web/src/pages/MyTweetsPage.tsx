import { Link, useSearchParams } from 'react-router';
import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { keys } from '../api/cache';
import { pagedList, readPage } from '../api/paging';
import type { TweetState } from '../api/types';
import { TweetList } from '../components/TweetList';
import { usePageTitle } from '../hooks/usePageTitle';

const TABS: { state: TweetState | 'all'; label: string; empty: string }[] = [
  { state: 'all', label: 'All', empty: 'You have not written anything yet.' },
  { state: 'draft', label: 'Drafts', empty: 'No drafts. Use “Save draft” in the compose box to keep one.' },
  { state: 'published', label: 'Published', empty: 'Nothing published yet.' },
  { state: 'edited', label: 'Edited', empty: 'No edited tweets.' },
  { state: 'archived', label: 'Archive', empty: 'Your archive is empty.' },
];

/** The reader's own tweets in any state: drafts, published, edited and archived. */
export function MyTweetsPage() {
  usePageTitle('My tweets');
  const [params] = useSearchParams();
  const tab = TABS.find((t) => t.state === params.get('state')) ?? TABS[0]!;
  const state = tab.state === 'all' ? undefined : tab.state;

  const query = useInfiniteQuery({
    queryKey: keys.mine(tab.state),
    queryFn: (ctx) => readPage(ctx, (cursor) => api.myTweets({ state, cursor, limit: 20 }, ctx.signal)),
    ...pagedList,
  });

  return (
    <section aria-labelledby="page-heading">
      <div className="page-heading">
        <h1 id="page-heading">My tweets</h1>
      </div>
      <nav aria-label="Filter by state" className="tabs">
        {TABS.map((t) => (
          <Link
            key={t.state}
            to={t.state === 'all' ? '/me/tweets' : `/me/tweets?state=${t.state}`}
            aria-current={t.state === tab.state ? 'page' : undefined}
            className="tab"
          >
            {t.label}
          </Link>
        ))}
      </nav>
      <TweetList query={query} empty={tab.empty} />
    </section>
  );
}
