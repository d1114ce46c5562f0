import { useRef, useState } from 'react';
import { Link } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { keys, putCachedTweet, removeCachedTweet } from '../api/cache';
import { useTweetMutation } from '../api/mutations';
import type { Tweet } from '../api/types';
import { ConfirmBar } from './ConfirmBar';

type Action = 'archive' | 'delete' | 'publish';

const CONFIRM: Record<Action, { message: string; label: string; danger: boolean }> = {
  publish: { message: 'Publish this draft for everyone to see?', label: 'Publish', danger: false },
  archive: { message: 'Archive this tweet? Only you will see it, and it cannot be edited or liked.', label: 'Archive', danger: false },
  delete: { message: 'Delete this tweet? This cannot be undone.', label: 'Delete', danger: true },
};

/**
 * After an action that may take the tweet out of its list (archive, delete, publish), focus must
 * not fall to <body>: it goes to the tweet itself if it is still shown (e.g. now archived), else
 * to the next tweet of the list, else the previous one, else the page's heading. The candidates
 * are taken before the list changes; the move happens once it has (after two frames), and only
 * if nothing else took focus meanwhile (a navigation, after a delete on the tweet's own page).
 */
export function focusAfter(article: HTMLElement | null): () => void {
  const cards = [...document.querySelectorAll<HTMLElement>('main article[data-tweet-id]')];
  const at = article ? cards.indexOf(article) : -1;
  const candidates = at === -1 ? [] : [article!, ...cards.slice(at + 1), ...cards.slice(0, at).reverse()];
  return () => {
    const move = () => {
      const a = document.activeElement;
      if (a && a !== document.body) return;
      const target =
        candidates.find((c) => c.isConnected) ??
        document.querySelector<HTMLElement>('main h1') ??
        document.querySelector<HTMLElement>('main');
      if (!target) return;
      if (!target.hasAttribute('tabindex')) target.tabIndex = -1;
      target.focus();
    };
    requestAnimationFrame(() => requestAnimationFrame(move));
  };
}

/** Edit, history, publish, archive and delete, for the tweet's author. */
export function AuthorActions({
  tweet,
  onEdit,
  onGone,
}: {
  tweet: Tweet;
  onEdit: () => void;
  /** Called after a delete, e.g. to leave the tweet's own page. */
  onGone?: () => void;
}) {
  const qc = useQueryClient();
  const [asking, setAsking] = useState<Action | null>(null);
  const [error, setError] = useState<string | null>(null);
  const triggers = useRef<Partial<Record<Action, HTMLButtonElement | null>>>({});
  const root = useRef<HTMLDivElement>(null);

  const editable = tweet.state !== 'archived';

  function close(action: Action) {
    setAsking(null);
    triggers.current[action]?.focus();
  }

  // Delete, archive, publish: a tweet mutation (api/mutations.ts), shown once the server has answered.
  const mutation = useTweetMutation({
    mutationFn: async ({ action }: { action: Action; after: () => void }) =>
      action === 'delete' ? (await api.deleteTweet(tweet.id), null) : action === 'archive' ? api.archive(tweet.id) : api.publish(tweet.id),
    onSuccess: (updated, { action, after }) => {
      if (action === 'delete') {
        removeCachedTweet(qc, tweet.id);
        qc.removeQueries({ queryKey: keys.tweet(tweet.id) });
      } else if (updated) {
        putCachedTweet(qc, updated);
        if (action === 'archive') removeCachedTweet(qc, tweet.id, keys.timelines);
        else void qc.invalidateQueries({ queryKey: keys.timelines });
      }
      void qc.invalidateQueries({ queryKey: ['tweets', 'mine'] });
      setAsking(null);
      after();
      if (action === 'delete') onGone?.();
    },
    onError: (e, { action }) => setError(e.message || `Could not ${action} this tweet.`),
  });
  const busy = mutation.isPending;

  function run(action: Action) {
    setError(null);
    // Where focus goes once the confirmation (which has it) closes: see focusAfter.
    const after = focusAfter(root.current?.closest<HTMLElement>('article[data-tweet-id]') ?? null);
    mutation.mutate({ action, after });
  }

  const ask = (action: Action) => (
    <button
      type="button"
      ref={(el) => {
        triggers.current[action] = el;
      }}
      className={action === 'delete' ? 'link-button danger-text' : 'link-button'}
      onClick={() => setAsking(action)}
      aria-expanded={asking === action}
    >
      {CONFIRM[action].label}
    </button>
  );

  return (
    <div className="author-actions" ref={root}>
      <div className="author-action-row">
        {editable && (
          <button type="button" className="link-button" onClick={onEdit} data-action="edit">
            Edit
          </button>
        )}
        <Link to={`/tweets/${tweet.id}/history`} className="link-button">
          History
        </Link>
        {tweet.state === 'draft' && ask('publish')}
        {(tweet.state === 'published' || tweet.state === 'edited') && ask('archive')}
        {ask('delete')}
      </div>
      {asking && (
        <ConfirmBar
          message={CONFIRM[asking].message}
          confirmLabel={CONFIRM[asking].label}
          danger={CONFIRM[asking].danger}
          busy={busy}
          onConfirm={() => void run(asking)}
          onCancel={() => close(asking)}
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
