import { useCallback, useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { cachedTweetIds, keys, prependToList } from '../api/cache';
import type { Tweet } from '../api/types';
import { ComposeBox } from '../components/ComposeBox';
import { NewTweetsBanner } from '../components/NewTweetsBanner';
import { TweetList } from '../components/TweetList';
import { collect, withEdit, withoutTweet } from '../incoming';
import { useLive } from '../live';
import { useSession } from '../session';
import { usePageTitle } from '../hooks/usePageTitle';
import { scrollToTop } from '../scroll';

function matches(t: Tweet, hashtag: string | undefined, author: string | undefined): boolean {
  if (author && t.author.username.toLowerCase() !== author.toLowerCase() && t.author.id !== author) return false;
  if (hashtag) {
    const want = hashtag.replace(/^#/, '').toLowerCase();
    if (!t.entities.hashtags.some((h) => h.tag.toLowerCase() === want)) return false;
  }
  return true;
}

/** The latest public tweets, optionally filtered by hashtag or author, with live "new tweets". */
export function TimelinePage() {
  const { user } = useSession();
  const qc = useQueryClient();
  const live = useLive();
  const [params] = useSearchParams();
  const hashtag = params.get('hashtag') ?? undefined;
  usePageTitle(hashtag ? `#${hashtag}` : 'Latest');
  const author = params.get('author') ?? undefined;
  const listKey = keys.timeline({ hashtag, author });

  const query = useInfiniteQuery({
    queryKey: listKey,
    queryFn: ({ pageParam, signal }) => api.listTweets({ hashtag, author, cursor: pageParam, limit: 20 }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    // The stream keeps the list current; refetching would reshuffle what is being read.
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });

  const [incoming, setIncoming] = useState<readonly Tweet[]>([]);
  useEffect(() => setIncoming([]), [hashtag, author]);

  useEffect(
    () =>
      live.subscribe((m) => {
        if (m.type === 'tweet.created') {
          const t = m.data;
          // The reader's own tweets are placed by the compose box already.
          if (user && t.author.id === user.id) return;
          if (!matches(t, hashtag, author)) return;
          const listed = cachedTweetIds(qc, listKey);
          setIncoming((list) => collect(list, t, listed));
        } else if (m.type === 'tweet.deleted') {
          setIncoming((list) => withoutTweet(list, m.data.id));
        } else if (m.type === 'tweet.updated') {
          setIncoming((list) => withEdit(list, m.data));
        }
      }),
    // listKey is derived from hashtag and author.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [live, qc, user, hashtag, author],
  );

  const showIncoming = useCallback(() => {
    prependToList(qc, listKey, incoming);
    setIncoming([]);
    scrollToTop();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [qc, incoming, hashtag, author]);

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
      <NewTweetsBanner count={incoming.length} onShow={showIncoming} />
      <TweetList query={query} empty="No tweets yet." />
    </section>
  );
}
