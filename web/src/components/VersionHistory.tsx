import { useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { keys, putCachedTweet } from '../api/cache';
import { useTweetMutation } from '../api/mutations';
import { tweetMedia } from '../api/media';
import type { Tweet, TweetVersion } from '../api/types';
import { ConfirmBar } from './ConfirmBar';
import { MediaGrid } from './MediaGrid';
import { RelativeTime } from './RelativeTime';
import { WordDiff } from './WordDiff';

/** Every version of a tweet, newest first, each showing what changed from the one before. */
export function VersionHistory({ tweet, canRestore }: { tweet: Tweet; canRestore: boolean }) {
  const versions = useQuery({
    queryKey: keys.versions(tweet.id),
    queryFn: ({ signal }) => api.versions(tweet.id, signal),
  });

  if (versions.isPending) return <p className="muted">Loading history…</p>;
  if (versions.isError)
    return (
      <p role="alert" className="inline-error">
        Could not load the history: {versions.error.message}
      </p>
    );

  const items = versions.data.items;
  return (
    <section aria-labelledby="history-heading" className="history">
      <h2 id="history-heading">
        Version history <span className="muted">({items.length} {items.length === 1 ? 'version' : 'versions'})</span>
      </h2>
      <ol reversed className="version-list">
        {items
          .map((v, i) => ({ v, previous: i > 0 ? items[i - 1] : undefined }))
          .reverse()
          .map(({ v, previous }) => (
            <VersionEntry
              key={v.version}
              tweet={tweet}
              version={v}
              previous={previous}
              current={v.version === tweet.version}
              canRestore={canRestore && tweet.state !== 'archived'}
            />
          ))}
      </ol>
    </section>
  );
}

/** The media of two versions differ: other files, or the same in another order. */
function mediaChanged(before: TweetVersion, after: TweetVersion): boolean {
  const a = tweetMedia(before);
  const b = tweetMedia(after);
  return a.length !== b.length || a.some((m, i) => m.id !== b[i]?.id);
}

function VersionEntry({
  tweet,
  version,
  previous,
  current,
  canRestore,
}: {
  tweet: Tweet;
  version: TweetVersion;
  previous: TweetVersion | undefined;
  current: boolean;
  canRestore: boolean;
}) {
  const qc = useQueryClient();
  const [asking, setAsking] = useState(false);
  const restoreButton = useRef<HTMLButtonElement>(null);
  const close = () => {
    setAsking(false);
    // The confirmation held focus: it goes back to the button that opened it.
    setTimeout(() => restoreButton.current?.focus());
  };
  const [error, setError] = useState<string | null>(null);

  // A tweet mutation (api/mutations.ts): shown once the server has answered.
  const mutation = useTweetMutation({
    mutationFn: () => api.restore(tweet.id, version.version),
    onSuccess: (updated) => {
      putCachedTweet(qc, updated);
      void qc.invalidateQueries({ queryKey: keys.versions(tweet.id) }).then(close);
    },
    onError: (e) => setError(e.message || 'Could not restore this version.'),
  });
  const busy = mutation.isPending;

  function restore() {
    setError(null);
    mutation.mutate(undefined);
  }

  return (
    <li className="version" data-version={version.version}>
      <div className="version-header">
        <strong>Version {version.version}</strong>
        {current && <span className="badge">Current</span>}
        <span className="muted">
          <RelativeTime iso={version.createdAt} />
        </span>
        {canRestore && !current && (
          <button ref={restoreButton} type="button" className="link-button" onClick={() => setAsking(true)} aria-expanded={asking}>
            Restore
          </button>
        )}
      </div>
      {previous ? (
        <>
          <p className="diff-caption">Changes from version {previous.version}</p>
          <WordDiff before={previous.content} after={version.content} />
        </>
      ) : (
        <p className="tweet-text">{version.content}</p>
      )}
      {previous && mediaChanged(previous, version) && (
        <p className="diff-caption">{tweetMedia(version).length === 0 ? 'Media removed' : 'Media changed'}</p>
      )}
      <MediaGrid media={tweetMedia(version)} />
      {asking && (
        <ConfirmBar
          message={`Restore version ${version.version}? Its text becomes a new version; no history is lost.`}
          confirmLabel="Restore"
          busy={busy}
          onConfirm={() => void restore()}
          onCancel={close}
        />
      )}
      {error && (
        <p role="alert" className="inline-error">
          {error}
        </p>
      )}
    </li>
  );
}
