import { useId, useMemo, useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../api/client';
import { keys, putCachedTweet } from '../api/cache';
import { tweetMedia } from '../api/media';
import type { EditTweet, Tweet } from '../api/types';
import { useTweetMutation } from '../api/mutations';
import { useTweetLength } from '../text/tweetLength';
import { CharacterCounter } from './CharacterCounter';
import { AddMediaButton, AttachmentList, useAttachments, useFileDrop } from './MediaAttachments';

interface Conflict {
  message: string;
  /** The server's current copy, once loaded, shown beside the reader's text. */
  latest: Tweet | null;
}

/**
 * Edits a tweet in place. The save carries `expectedVersion`, so an edit made
 * meanwhile in another tab is reported as a conflict rather than overwritten. Media can be
 * added, removed and reordered only as a whole list, sent when it changed.
 */
export function EditTweetForm({ tweet, onDone }: { tweet: Tweet; onDone: () => void }) {
  const qc = useQueryClient();
  const fieldId = useId();
  const [text, setText] = useState(tweet.content);
  const [baseVersion, setBaseVersion] = useState(tweet.version);
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [loadingLatest, setLoadingLatest] = useState(false);
  // A tweet mutation (api/mutations.ts): shown once the server has answered.
  const mutation = useTweetMutation({
    mutationFn: (body: EditTweet) => api.editTweet(tweet.id, body),
    onSuccess: (updated) => {
      putCachedTweet(qc, updated);
      void qc.invalidateQueries({ queryKey: keys.versions(tweet.id) });
      void qc.invalidateQueries({ queryKey: ['tweets', 'mine'] });
      onDone();
    },
    onError: (err) => {
      if (err instanceof ApiError && err.code === 'version_conflict') setConflict({ message: err.message, latest: null });
      else setError(err.message || 'Could not save the edit.');
    },
  });
  const saving = mutation.isPending;
  const length = useTweetLength(text);
  const initialIds = useMemo(() => tweetMedia(tweet).map((m) => m.id), [tweet]);
  // A posted tweet's descriptions are final (the server answers 409); a draft's are not.
  const attachments = useAttachments({ initial: tweetMedia(tweet), locked: tweet.state !== 'draft' });
  const drop = useFileDrop(attachments, !saving);
  const hasMedia = attachments.items.length > 0;
  const mediaChanged =
    attachments.items.length !== initialIds.length || attachments.items.some((a, i) => a.media?.id !== initialIds[i]);
  const unchanged = text === tweet.content && baseVersion === tweet.version && !mediaChanged;
  const textOk = length.blank ? hasMedia : length.valid;
  const canSave = !saving && !unchanged && textOk && (!hasMedia || attachments.ready);


  function save(e: FormEvent) {
    e.preventDefault();
    if (!canSave) return;
    setError(null);
    mutation.mutate({
      content: length.blank ? '' : text,
      expectedVersion: baseVersion,
      // Absent: the media stay as they are.
      ...(mediaChanged ? { mediaIds: attachments.mediaIds } : {}),
    });
  }

  async function loadLatest() {
    setLoadingLatest(true);
    try {
      const latest = await api.getTweet(tweet.id);
      putCachedTweet(qc, latest);
      void qc.invalidateQueries({ queryKey: keys.versions(tweet.id) });
      // The reader has now seen the current version; saving again builds on it.
      setBaseVersion(latest.version);
      setConflict({ message: conflict?.message ?? '', latest });
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Could not load the latest version.');
    } finally {
      setLoadingLatest(false);
    }
  }

  const errorId = `${fieldId}-error`;
  return (
    <form
      className={`edit-form${drop.over ? ' dropping' : ''}`}
      onSubmit={save}
      aria-label="Edit tweet"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onDone();
      }}
      {...drop.dropProps}
    >
      <label htmlFor={fieldId} className="visually-hidden">
        Tweet text
      </label>
      <textarea
        id={fieldId}
        value={text}
        rows={3}
        autoFocus
        onChange={(e) => setText(e.target.value)}
        onPaste={drop.onPaste}
        aria-invalid={error || length.remaining < 0 ? true : undefined}
        aria-describedby={error || conflict ? errorId : undefined}
      />
      <AttachmentList attachments={attachments} disabled={saving} />
      {conflict && (
        <div id={errorId} role="alert" className="conflict">
          <strong>This tweet was changed somewhere else while you were editing.</strong>{' '}
          {conflict.latest ? (
            <>
              It is now version {conflict.latest.version}:
              <blockquote>{conflict.latest.content}</blockquote>
              Your text is kept above. Save again to replace it, or cancel to keep the latest version.
            </>
          ) : (
            <>
              <span className="muted">({conflict.message})</span> Your text has not been saved and is kept above.{' '}
              <button type="button" className="link-button" onClick={() => void loadLatest()} disabled={loadingLatest}>
                {loadingLatest ? 'Loading…' : 'Show the latest version'}
              </button>
            </>
          )}
        </div>
      )}
      {error && !conflict && (
        <div id={errorId} role="alert" className="field-error">
          {error}
        </div>
      )}
      <div className="compose-bar">
        <CharacterCounter length={length} />
        <AddMediaButton attachments={attachments} disabled={saving} />
        <button type="button" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={!canSave}>
          {saving ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}
