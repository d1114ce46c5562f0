import { Link, useParams } from 'react-router';
import { useInfiniteQuery, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { api, ApiError } from '../api/client';
import { keys } from '../api/cache';
import type { ListedUser, UserPage } from '../api/types';
import { RelativeTime } from '../components/RelativeTime';
import { UserRow } from '../components/UserRow';
import { useRelate } from '../hooks/useRelate';
import { usePageTitle } from '../hooks/usePageTitle';
import { LoadMoreButton } from '../components/ListNav';

/** Which list: someone's followers or following, or the signed-in user's blocks or mutes. */
export type ListKind = 'followers' | 'following' | 'blocks' | 'mutes';

const TITLES: Record<ListKind, string> = {
  followers: 'Followers',
  following: 'Following',
  blocks: 'Blocked accounts',
  mutes: 'Muted accounts',
};

const SINCE: Record<ListKind, string> = {
  followers: 'Followed',
  following: 'Followed',
  blocks: 'Blocked',
  mutes: 'Muted',
};

/** An own block or mute, undone from the list (the row then leaves it). */
function Undo({ who, kind }: { who: ListedUser; kind: 'blocks' | 'mutes' }) {
  const qc = useQueryClient();
  const { busy, error, run } = useRelate(who);
  const label = kind === 'blocks' ? 'Unblock' : 'Unmute';

  async function undo() {
    if (!(await run(kind === 'blocks' ? 'block' : 'mute', false))) return;
    qc.setQueryData<InfiniteData<UserPage, string | null>>(keys.userList(kind, ''), (d) =>
      d ? { ...d, pages: d.pages.map((p) => ({ ...p, items: p.items.filter((u) => u.id !== who.id) })) } : d,
    );
  }

  return (
    <>
      <button type="button" disabled={busy !== null} onClick={() => void undo()} aria-label={`${label} @${who.username}`}>
        {label}
      </button>
      {error && (
        <p role="alert" className="inline-error">
          {error}
        </p>
      )}
    </>
  );
}

/** A page of users around one user: followers, following, or one's own blocks and mutes. */
export function UserListPage({ kind }: { kind: ListKind }) {
  const { username = '' } = useParams();
  usePageTitle(kind === 'followers' ? `People following @${username}` : kind === 'following' ? `People @${username} follows` : kind === 'blocks' ? 'Blocked accounts' : 'Muted accounts');
  const own = kind === 'blocks' || kind === 'mutes';
  const query = useInfiniteQuery({
    queryKey: keys.userList(kind, own ? '' : username),
    queryFn: ({ pageParam, signal }) =>
      own ? api.ownList(kind, pageParam, signal) : api.userList(username, kind, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    // A 403 (a protected account's lists) or a 404 will not change on a retry.
    retry: (count, e) => !(e instanceof ApiError && e.status < 500) && count < 2,
  });
  const title = TITLES[kind];
  const people = query.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby="page-heading">
      <div className="page-heading">
        <h1 id="page-heading">{own ? title : `${title} of @${username}`}</h1>
        {!own && <Link to={`/u/${encodeURIComponent(username)}`}>Back to the profile</Link>}
      </div>
      {query.isPending ? (
        <p className="muted center">Loading…</p>
      ) : query.isError ? (
        <div role="alert" className="error-panel">
          {query.error instanceof ApiError && query.error.status === 403
            ? 'Only approved followers can see this list.'
            : query.error instanceof ApiError && query.error.status === 404
              ? 'No such account.'
              : `Could not load the list: ${query.error.message}`}
        </div>
      ) : (
        <>
          {people.length === 0 && <p className="muted center">No one here yet.</p>}
          <ul className="user-list">
            {people.map((u) => (
              <UserRow
                key={u.id}
                who={u}
                detail={
                  <div className="muted">
                    {SINCE[kind]} <RelativeTime iso={u.since} />
                  </div>
                }
                actions={own && <Undo who={u} kind={kind} />}
              />
            ))}
          </ul>
          {query.hasNextPage && (
            <div className="list-end">
              <LoadMoreButton loading={query.isFetchingNextPage} onLoad={() => void query.fetchNextPage()} />
            </div>
          )}
        </>
      )}
    </section>
  );
}
