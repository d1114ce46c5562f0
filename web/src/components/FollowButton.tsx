import type { Relationship } from '../api/types';

/**
 * Follow, Unfollow, or Requested (a protected account's pending request, which a click
 * withdraws). `username` names the account in the button's label where several are listed.
 */
export function FollowButton({
  relationship,
  busy,
  disabled,
  onChange,
  username,
}: {
  /** Null: not known to follow (a suggestion is someone not followed yet). */
  relationship: Relationship | null;
  busy: boolean;
  disabled: boolean;
  /** Called with true to follow (or ask to), false to unfollow or withdraw the request. */
  onChange: (follow: boolean) => void;
  username?: string;
}) {
  const following = !!relationship?.following;
  const requested = !!relationship?.requested;
  const label = following ? 'Unfollow' : requested ? 'Requested' : 'Follow';
  return (
    <button
      type="button"
      className={following || requested ? undefined : 'primary'}
      aria-busy={busy || undefined}
      disabled={disabled}
      // The visible word starts the label, so speech input can say what it sees.
      aria-label={username ? `${label} @${username}` : undefined}
      // "Requested" withdraws the request; the title says so for pointer users.
      title={requested ? 'Withdraw the follow request' : undefined}
      onClick={() => onChange(!(following || requested))}
    >
      {label}
    </button>
  );
}
