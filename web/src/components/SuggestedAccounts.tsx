import { useId, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { keys } from '../api/cache';
import type { Profile, Relationship } from '../api/types';
import { useRelate } from '../hooks/useRelate';
import { FollowButton } from './FollowButton';
import { UserRow } from './UserRow';

function Suggestion({ profile }: { profile: Profile }) {
  const { busy, error, run } = useRelate(profile);
  // A suggestion is someone the viewer does not follow; the row then shows what they did.
  const [relationship, setRelationship] = useState<Relationship | null>(profile.relationship ?? null);
  const followers = profile.counts.followers;
  return (
    <UserRow
      who={profile}
      detail={
        <>
          <div className="muted">
            {followers.toLocaleString()} {followers === 1 ? 'follower' : 'followers'}
          </div>
          {profile.bio && <p className="user-row-bio">{profile.bio}</p>}
        </>
      }
      actions={
        <FollowButton
          relationship={relationship}
          username={profile.username}
          busy={busy === 'follow'}
          disabled={busy !== null}
          onChange={(on) => void run('follow', on).then((next) => next && setRelationship(next))}
        />
      }
    >
      {error && (
        <p role="alert" className="inline-error">
          {error}
        </p>
      )}
    </UserRow>
  );
}

/** "Who to follow": the most followed accounts the signed-in user does not follow yet. */
export function SuggestedAccounts({ limit = 10 }: { limit?: number }) {
  const headingId = useId();
  const query = useQuery({
    queryKey: keys.suggestions,
    queryFn: ({ signal }) => api.suggestions(limit, signal),
  });
  return (
    <section aria-labelledby={headingId} className="suggestions">
      <h2 id={headingId}>Who to follow</h2>
      {query.isPending ? (
        <p className="muted">Loading suggestions…</p>
      ) : query.isError ? (
        <div role="alert" className="inline-error">
          Could not load suggestions: {query.error.message}{' '}
          <button type="button" onClick={() => void query.refetch()}>
            Try again
          </button>
        </div>
      ) : query.data.items.length === 0 ? (
        <p className="muted">No accounts to suggest right now.</p>
      ) : (
        <ul className="user-list">
          {query.data.items.map((p) => (
            <Suggestion key={p.id} profile={p} />
          ))}
        </ul>
      )}
    </section>
  );
}
