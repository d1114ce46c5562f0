import { Fragment, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { NotificationGroup, User } from '../api/types';
import { actionParts, actorsPhrase } from '../notificationGroups';
import { ErrorBoundary } from './ErrorBoundary';
import { RelativeTime } from './RelativeTime';
import { profilePath } from './TweetCard';

const ICONS: Record<string, string> = {
  like: '♥',
  retweet: '↻',
  follow: '+',
  follow_request: '?',
  reply: '↩',
  mention: '@',
  quote: '❝',
};

/** "Ada", "Ada and Bob", "Ada, Bob and Cy", "Ada and 12 others": each name links to the profile. */
function Actors({ actors, count }: { actors: readonly User[]; count: number }) {
  const { named, others } = actorsPhrase(actors, count);
  const parts: ReactNode[] = named.map((u) => (
    <Link key={u.id} to={profilePath(u.username)} className="display-name">
      {u.displayName || u.username}
    </Link>
  ));
  if (others > 0) parts.push(<span key="others">{`${others} ${others === 1 ? 'other' : 'others'}`}</span>);
  if (parts.length === 0) parts.push(<span key="someone">Someone</span>);
  return (
    <>
      {parts.map((p, i) => (
        <Fragment key={i}>
          {i === 0 ? '' : i === parts.length - 1 ? ' and ' : ', '}
          {p}
        </Fragment>
      ))}
    </>
  );
}

/**
 * One group of notifications, told as a sentence ("Ada and 12 others liked your tweet"), with
 * the actors' initials, when the newest happened, and the tweet it is about, compactly: the
 * reader's own for likes and retweets (the sentence links to it), the actor's for replies,
 * mentions and quotes (the snippet links to it). Unread groups say "New".
 */
export function NotificationItem({ group }: { group: NotificationGroup }) {
  return (
    <li className={`notification${group.unread ? ' unread' : ''}`} data-notification-id={group.id} data-type={group.type}>
      <ErrorBoundary what="this notification">
        <NotificationContent group={group} />
      </ErrorBoundary>
    </li>
  );
}

function NotificationContent({ group }: { group: NotificationGroup }) {
  const { text, yourTweet } = actionParts(group.type, group.tweet);
  const tweet = group.tweet;
  const tweetPath = tweet ? `/tweets/${encodeURIComponent(tweet.id)}` : null;
  const theirs = group.type === 'reply' || group.type === 'mention' || group.type === 'quote';

  return (
    <>
      <div className={`notification-icon notification-icon-${group.type}`} aria-hidden="true">
        {ICONS[group.type] ?? '•'}
      </div>
      <div className="notification-body">
        <div className="notification-avatars" aria-hidden="true">
          {group.actors.map((u) => (
            <Link key={u.id} to={profilePath(u.username)} tabIndex={-1} className="avatar avatar-small">
              {(u.displayName || u.username).slice(0, 1).toUpperCase()}
            </Link>
          ))}
        </div>
        <p className="notification-sentence">
          {group.unread && (
            <>
              <span className="badge badge-new">New</span>{' '}
            </>
          )}
          <span className="notification-text">
            <Actors actors={group.actors} count={group.count} /> {text}
            {yourTweet && (
              <>
                {' '}
                {tweetPath ? <Link to={tweetPath}>{yourTweet}</Link> : yourTweet}
              </>
            )}
          </span>
          <span className="muted">
            {' · '}
            <RelativeTime iso={group.latestAt} />
          </span>
        </p>
        {group.type === 'follow_request' && (
          <p className="notification-more">
            <Link to="/requests">Review follow requests</Link>
          </p>
        )}
        {tweet &&
          (theirs && tweetPath ? (
            <Link to={tweetPath} className="notification-tweet">
              {tweet.content}
            </Link>
          ) : (
            <p className="notification-tweet muted">{tweet.content}</p>
          ))}
      </div>
    </>
  );
}
