import { Link, useNavigate, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { keys } from '../api/cache';
import { TweetCard } from '../components/TweetCard';
import { VersionHistory } from '../components/VersionHistory';
import { useSession } from '../session';

/** One tweet, and on `/tweets/:id/history` its version history. */
export function TweetPage({ history = false }: { history?: boolean }) {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { user } = useSession();
  const tweet = useQuery({ queryKey: keys.tweet(id), queryFn: ({ signal }) => api.getTweet(id, signal) });

  if (tweet.isPending) return <p className="muted center">Loading…</p>;
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
      <TweetCard tweet={t} onGone={() => navigate('/', { replace: true })} />
      {history && <VersionHistory tweet={t} canRestore={mine} />}
    </section>
  );
}
