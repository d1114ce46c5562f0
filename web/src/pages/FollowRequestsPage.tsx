import { useState } from 'react';
import { useInfiniteQuery, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { api } from '../api/client';
import { keys } from '../api/cache';
import type { ListedUser, UserPage } from '../api/types';
import { RelativeTime } from '../components/RelativeTime';
import { UserRow } from '../components/UserRow';
import { useSession } from '../session';
import { usePageTitle } from '../hooks/usePageTitle';
import { LoadMoreButton } from '../components/ListNav';

function RequestRow({ who }: { who: ListedUser }) {
  const qc = useQueryClient();
  const { user } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function answer(how: 'accept' | 'reject') {
    setBusy(true);
    setError(null);
    try {
      await api.answerFollowRequest(who.id, how);
      qc.setQueryData<InfiniteData<UserPage, string | null>>(keys.followRequests, (d) =>
        d ? { ...d, pages: d.pages.map((p) => ({ ...p, items: p.items.filter((u) => u.id !== who.id) })) } : d,
      );
      if (user) void qc.invalidateQueries({ queryKey: keys.profile(user.username) });
      void qc.invalidateQueries({ queryKey: keys.profile(who.username) });
    } catch (e) {
      setError(e instanceof Error ? e.message : 'Something went wrong.');
      setBusy(false);
    }
  }

  return (
    <UserRow
      who={who}
      detail={
        <div className="muted">
          Asked <RelativeTime iso={who.since} />
        </div>
      }
      actions={
        <>
          <button type="button" className="primary" disabled={busy} onClick={() => void answer('accept')} aria-label={`Accept @${who.username}`}>
            Accept
          </button>
          <button type="button" disabled={busy} onClick={() => void answer('reject')} aria-label={`Reject @${who.username}`}>
            Reject
          </button>
        </>
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

/** Who asked to follow the signed-in (protected) user, to accept or reject. */
export function FollowRequestsPage() {
  usePageTitle('Follow requests');
  const query = useInfiniteQuery({
    queryKey: keys.followRequests,
    queryFn: ({ pageParam, signal }) => api.followRequests(pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });

  const people = query.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby="page-heading">
      <div className="page-heading">
        <h1 id="page-heading">Follow requests</h1>
      </div>
      {query.isPending ? (
        <p className="muted center">Loading…</p>
      ) : query.isError ? (
        <div role="alert" className="error-panel">
          Could not load follow requests: {query.error.message}{' '}
          <button type="button" onClick={() => void query.refetch()}>
            Try again
          </button>
        </div>
      ) : (
        <>
          {people.length === 0 && <p className="muted center">No one is waiting.</p>}
          <ul className="user-list">
            {people.map((u) => (
              <RequestRow key={u.id} who={u} />
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
