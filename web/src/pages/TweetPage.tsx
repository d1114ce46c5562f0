import { lazy, Suspense, type CSSProperties } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { keys } from '../api/cache';
import type { Tweet } from '../api/types';
import { ComposeBox } from '../components/ComposeBox';
import { EmbeddedTweet } from '../components/EmbeddedTweet';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { TweetCard } from '../components/TweetCard';
import { useSession } from '../session';
import { usePageTitle } from '../hooks/usePageTitle';
import { LoadMoreButton } from '../components/ListNav';

// The history page (word diffs, the `diff` package) is code only it needs: loaded when shown.
const VersionHistory = lazy(() => import('../components/VersionHistory').then((m) => ({ default: m.VersionHistory })));

/** The conversation around a tweet: the chain above it, a reply box, and the replies beneath by depth. */
function Thread({ tweet, children }: { tweet: Tweet; children: React.ReactNode }) {
  const { user } = useSession();
  const qc = useQueryClient();
  const thread = useInfiniteQuery({
    queryKey: keys.thread(tweet.id),
    queryFn: ({ pageParam, signal }) => api.thread(tweet.id, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.descendants.nextCursor,
  });
  const ancestors = thread.data?.pages[0]?.ancestors ?? [];
  const replies = thread.data?.pages.flatMap((p) => p.descendants.items) ?? [];
  const canReply = !!user && (tweet.state === 'published' || tweet.state === 'edited') && tweet.kind !== 'retweet';

  return (
    <>
      {ancestors.length > 0 && (
        <div className="thread-ancestors" aria-label="Earlier in the conversation" role="group">
          {ancestors.map((a) =>
            'unavailable' in a ? (
              <EmbeddedTweet key={a.id} tweet={a} />
            ) : (
              <ErrorBoundary key={a.id} what="this tweet">
                <TweetCard tweet={a} />
              </ErrorBoundary>
            ),
          )}
        </div>
      )}
      <div className="thread-main">{children}</div>
      {canReply && user && (
        <div className="thread-reply-box">
          <ComposeBox user={user} replyTo={tweet} onPosted={() => void qc.invalidateQueries({ queryKey: keys.thread(tweet.id) })} />
        </div>
      )}
      <section aria-label="Replies" className="thread-replies">
        {thread.isPending && <p className="muted center">Loading replies…</p>}
        {thread.isError && (
          <div role="alert" className="error-panel">
            Could not load the replies: {thread.error.message}{' '}
            <button type="button" onClick={() => void thread.refetch()}>
              Try again
            </button>
          </div>
        )}
        {thread.isSuccess && replies.length === 0 && <p className="muted center">No replies yet.</p>}
        {replies.map((r) => (
          <div key={r.id} className="thread-reply" data-depth={r.depth} style={{ '--depth': r.depth } as CSSProperties}>
            <ErrorBoundary what="this reply">
              <TweetCard tweet={r} />
            </ErrorBoundary>
          </div>
        ))}
        {thread.hasNextPage && (
          <div className="list-end">
            <LoadMoreButton loading={thread.isFetchingNextPage} onLoad={() => void thread.fetchNextPage()} label="Load more replies" />
          </div>
        )}
      </section>
    </>
  );
}

/** One tweet with its thread, and on `/tweets/:id/history` its version history. */
export function TweetPage({ history = false }: { history?: boolean }) {
  const { id = '' } = useParams();
  usePageTitle(history ? 'History' : 'Tweet');
  const navigate = useNavigate();
  const { user } = useSession();
  const tweet = useQuery({ queryKey: keys.tweet(id), queryFn: ({ signal }) => api.getTweet(id, signal) });

  // Until the session is known, so the reply box (signed in only) does not push the replies down.
  if (tweet.isPending || user === undefined) return <p className="muted center">Loading…</p>;
  if (tweet.isError)
    return (
      <div role="alert" className="error-panel">
        {'status' in tweet.error && tweet.error.status === 404 ? 'This tweet does not exist or is not visible to you.' : `Could not load the tweet: ${tweet.error.message}`}{' '}
        <Link to="/">Back to the timeline</Link>
      </div>
    );

  const t = tweet.data;
  const mine = !!user && user.id === t.author.id;
  return (
    <section aria-labelledby="page-heading">
      <div className="page-heading">
        <h1 id="page-heading">{history ? 'History' : 'Tweet'}</h1>
        {history ? (
          <Link to={`/tweets/${t.id}`} className="link-button">
            Back to the tweet
          </Link>
        ) : (
          <Link to={`/tweets/${t.id}/history`} className="link-button">
            View history{t.version > 1 ? ` (${t.version} versions)` : ''}
          </Link>
        )}
      </div>
      {history ? (
        <>
          <TweetCard tweet={t} onGone={() => navigate('/', { replace: true })} />
          <Suspense fallback={<p className="muted center">Loading the history…</p>}>
            <VersionHistory tweet={t} canRestore={mine} />
          </Suspense>
        </>
      ) : (
        <Thread tweet={t}>
          <TweetCard tweet={t} onGone={() => navigate('/', { replace: true })} />
        </Thread>
      )}
    </section>
  );
}
