import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { profilePath } from './TweetCard';

/** One person in a list of people: initial, names linking to the profile, a detail line, and buttons. */
export function UserRow({
  who,
  detail,
  actions,
  children,
}: {
  who: { id: string; username: string; displayName: string };
  /** Under the names: since when, how many followers, a bio. */
  detail?: ReactNode;
  actions?: ReactNode;
  /** After the buttons, across the row (an error). */
  children?: ReactNode;
}) {
  return (
    <li className="user-row" data-user-id={who.id}>
      <div className="avatar" aria-hidden="true">
        {(who.displayName || who.username).slice(0, 1).toUpperCase()}
      </div>
      <div className="user-row-names">
        <Link to={profilePath(who.username)} className="display-name">
          {who.displayName}
        </Link>{' '}
        <span className="muted">@{who.username}</span>
        {detail}
      </div>
      {actions && <div className="user-row-actions">{actions}</div>}
      {children}
    </li>
  );
}
