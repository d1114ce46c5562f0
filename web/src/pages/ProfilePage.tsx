import { useEffect, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, ApiError } from '../api/client';
import { keys } from '../api/cache';
import { pagedList, readPage } from '../api/paging';
import type { Profile, Relationship } from '../api/types';
import { ConfirmBar } from '../components/ConfirmBar';
import { FollowButton } from '../components/FollowButton';
import { TweetList } from '../components/TweetList';
import { useRelate, type RelateAction } from '../hooks/useRelate';
import { useSession } from '../session';
import { usePageTitle } from '../hooks/usePageTitle';

/** Follow, block and mute for a signed-in viewer looking at someone else. */
function RelationshipActions({ profile, relationship }: { profile: Profile; relationship: Relationship }) {
  const { busy, error, run } = useRelate(profile);
  const [confirmBlock, setConfirmBlock] = useState(false);
  const blockButton = useRef<HTMLButtonElement>(null);
  // The buttons are disabled while a change is out, which drops focus to <body>: once it is done,
  // focus goes back to the button used (or to Block/Unblock after the confirmation closed).
  const lastUsed = useRef<HTMLElement | null>(null);
  useEffect(() => {
    if (busy !== null) return;
    const a = document.activeElement;
    if (a && a !== document.body) return;
    const back = lastUsed.current?.isConnected ? lastUsed.current : blockButton.current;
    back?.focus();
    lastUsed.current = null;
  }, [busy]);

  function change(what: RelateAction, on: boolean) {
    setConfirmBlock(false);
    void run(what, on);
  }

  const r = relationship;
  return (
    <div
      className="profile-actions"
      onClickCapture={(e) => {
        lastUsed.current = e.target instanceof Element ? e.target.closest('button') : null;
      }}
    >
      {!r.blocking && !r.blockedBy && (
        <FollowButton relationship={r} busy={busy === 'follow'} disabled={busy !== null} onChange={(on) => change('follow', on)} />
      )}
      <button type="button" disabled={busy !== null} onClick={() => change('mute', !r.muting)}>
        {r.muting ? 'Unmute' : 'Mute'}
      </button>
      <button
        ref={blockButton}
        type="button"
        className={r.blocking ? undefined : 'danger-text'}
        disabled={busy !== null}
        aria-expanded={r.blocking ? undefined : confirmBlock}
        // A block ends follows both ways at once, so it asks first; an unblock does not.
        onClick={() => (r.blocking ? change('block', false) : setConfirmBlock(true))}
      >
        {r.blocking ? 'Unblock' : 'Block'}
      </button>
      {confirmBlock && (
        <ConfirmBar
          message={`Block @${profile.username}? Follows between you end, and neither of you will see the other’s tweets.`}
          confirmLabel="Block"
          danger
          busy={busy === 'block'}
          onConfirm={() => change('block', true)}
          onCancel={() => {
            setConfirmBlock(false);
            blockButton.current?.focus();
          }}
        />
      )}
      {error && (
        <p role="alert" className="inline-error">
          {error}
        </p>
      )}
    </div>
  );
}

const TABS = [
  { id: 'tweets', label: 'Tweets', replies: false },
  { id: 'replies', label: 'Replies', replies: true },
] as const;

/** A user's profile: who they are, how the viewer stands towards them, and their tweets. */
export function ProfilePage() {
  const { username = '' } = useParams();
  usePageTitle(`@${username}`);
  const [params] = useSearchParams();
  const { user } = useSession();
  const tab = TABS.find((t) => t.id === params.get('tab')) ?? TABS[0];

  const profile = useQuery({
    queryKey: keys.profile(username),
    queryFn: ({ signal }) => api.profile(username, signal),
    // The viewer's relationship is in it; wait until we know who the viewer is.
    enabled: user !== undefined,
  });
  const tweets = useInfiniteQuery({
    queryKey: keys.userTweets(username, tab.replies),
    queryFn: (ctx) => readPage(ctx, (cursor) => api.userTweets(username, { replies: tab.replies, cursor, limit: 20 }, ctx.signal)),
    ...pagedList,
    enabled: user !== undefined,
  });

  if (profile.isPending) return <p className="muted center">Loading…</p>;
  if (profile.isError)
    return (
      <div role="alert" className="error-panel">
        {profile.error instanceof ApiError && profile.error.status === 404 ? `There is no user @${username}.` : `Could not load the profile: ${profile.error.message}`}{' '}
        <Link to="/">Back to the timeline</Link>
      </div>
    );

  const p = profile.data;
  const r = p.relationship;
  const self = !!user && user.id === p.id;
  const base = `/u/${encodeURIComponent(p.username)}`;
  return (
    <section aria-labelledby="page-heading">
      <div className="profile-header">
        <div className="avatar avatar-large" aria-hidden="true">
          {(p.displayName || p.username).slice(0, 1).toUpperCase()}
        </div>
        <div className="profile-names">
          <h1 id="page-heading">{p.displayName}</h1>
          <span className="muted">@{p.username}</span>
          {p.protected && <span className="badge">Protected</span>}
          {r?.followedBy && <span className="badge">Follows you</span>}
        </div>
        {self && (
          <div className="profile-actions">
            <Link to="/settings" className="button">
              Edit profile
            </Link>
            <Link to="/me/blocks">Blocked</Link>
            <Link to="/me/mutes">Muted</Link>
          </div>
        )}
        {user && !self && r && <RelationshipActions profile={p} relationship={r} />}
        {p.bio && <p className="profile-bio">{p.bio}</p>}
        <dl className="profile-counts">
          <div>
            <dd>{p.counts.following.toLocaleString()}</dd>
            <dt>
              <Link to={`/u/${encodeURIComponent(p.username)}/following`}>Following</Link>
            </dt>
          </div>
          <div>
            <dd>{p.counts.followers.toLocaleString()}</dd>
            <dt>
              <Link to={`/u/${encodeURIComponent(p.username)}/followers`}>Followers</Link>
            </dt>
          </div>
          <div>
            <dd>{p.counts.tweets.toLocaleString()}</dd>
            <dt>Tweets</dt>
          </div>
        </dl>
        {r?.blockedBy && <p className="notice">@{p.username} has blocked you.</p>}
        {r?.blocking && <p className="notice">You have blocked @{p.username}.</p>}
      </div>
      <nav aria-label="Profile tweets" className="tabs">
        {TABS.map((t) => (
          <Link key={t.id} to={t.replies ? `${base}?tab=replies` : base} aria-current={t.id === tab.id ? 'page' : undefined} className="tab">
            {t.label}
          </Link>
        ))}
      </nav>
      {r?.blocking || r?.blockedBy ? (
        // While a block stands neither side's tweets are shown to the other.
        <p className="muted center">No tweets to show.</p>
      ) : (
        <TweetList
          query={tweets}
          empty={p.protected && !self && !r?.following ? 'This account is protected: only approved followers see its tweets.' : 'No tweets yet.'}
        />
      )}
    </section>
  );
}
