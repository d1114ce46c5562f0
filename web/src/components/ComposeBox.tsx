import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { api, ApiError, newIdempotencyKey } from '../api/client';
import { prependToList, replaceInList } from '../api/cache';
import type { Tweet, User } from '../api/types';
import { measureTweet } from '../text/tweetLength';
import { CharacterCounter } from './CharacterCounter';

/** One submission: its key is sent again, unchanged, on every retry of the same text. */
interface Submission {
  key: string;
  content: string;
  draft: boolean;
}

const LOCAL_DRAFT_KEY = 'starling.compose';

function retryable(e: unknown): boolean {
  return e instanceof ApiError && (e.code === 'network' || e.status === 429 || e.status >= 500);
}

export function placeholderTweet(user: User, content: string, key: string): Tweet {
  const now = new Date().toISOString();
  return {
    id: `pending:${key}`,
    kind: 'tweet',
    // Shown until the server answers with the visibility it decided.
    visibility: 'public',
    conversationId: `pending:${key}`,
    replyToUserId: null,
    author: { id: user.id, username: user.username, displayName: user.displayName },
    content,
    contentHash: '',
    version: 1,
    state: 'published',
    createdAt: now,
    updatedAt: now,
    replyToId: null,
    entities: { hashtags: [], mentions: [], urls: [], cashtags: [] },
    engagement: {
      likes: 0,
      retweets: 0,
      replies: 0,
      quotes: 0,
      views: 0,
      likedByCurrentUser: false,
      retweetedByCurrentUser: false,
      velocity: { oneMinute: 0, fiveMinutes: 0, sixtyMinutes: 0 },
    },
  };
}

export function isPlaceholder(t: Tweet): boolean {
  return t.id.startsWith('pending:');
}

/**
 * The "What's happening?" box: weighted counter, post (shown at once, rolled
 * back if refused), save as draft, and an Idempotency-Key per submission.
 */
export function ComposeBox({ user, listKey }: { user: User; listKey: readonly unknown[] }) {
  const qc = useQueryClient();
  const fieldId = useId();
  const [text, setText] = useState(() => localStorage.getItem(`${LOCAL_DRAFT_KEY}.${user.id}`) ?? '');
  const [error, setError] = useState<{ message: string; field: boolean; retry: Submission | null } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inFlight = useRef(false);
  const lastFailed = useRef<Submission | null>(null);
  const length = useMemo(() => measureTweet(text), [text]);

  // Unsent text survives a reload; it is the browser's, not a server draft.
  useEffect(() => {
    const k = `${LOCAL_DRAFT_KEY}.${user.id}`;
    if (text) localStorage.setItem(k, text);
    else localStorage.removeItem(k);
  }, [text, user.id]);

  const canSubmit = !length.blank && length.valid && !busy;

  async function send(submission: Submission) {
    if (inFlight.current) return;
    inFlight.current = true;
    setBusy(true);
    setError(null);
    setNotice(null);
    const placeholderId = `pending:${submission.key}`;
    if (!submission.draft) prependToList(qc, listKey, [placeholderTweet(user, submission.content, submission.key)]);
    setText('');
    try {
      const tweet = await api.createTweet({ content: submission.content, draft: submission.draft || undefined }, submission.key);
      lastFailed.current = null;
      if (submission.draft) setNotice('Saved to your drafts.');
      else replaceInList(qc, listKey, placeholderId, tweet);
      void qc.invalidateQueries({ queryKey: ['tweets', 'mine'] });
    } catch (e) {
      if (!submission.draft) replaceInList(qc, listKey, placeholderId, null);
      lastFailed.current = submission;
      setText((current) => current || submission.content);
      const fieldError = e instanceof ApiError && e.field === 'content';
      setError({
        message: e instanceof Error ? e.message : 'Could not post.',
        field: fieldError,
        retry: retryable(e) ? submission : null,
      });
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  }

  function submit(draft: boolean) {
    if (!canSubmit) return;
    const failed = lastFailed.current;
    // Same text, same kind, after a failure: it is a retry and keeps its key.
    const submission =
      failed && failed.content === text && failed.draft === draft ? failed : { key: newIdempotencyKey(), content: text, draft };
    void send(submission);
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    submit(false);
  }

  const errorId = `${fieldId}-error`;
  return (
    <form className="compose" onSubmit={onSubmit} aria-label="Compose a tweet">
      <label htmlFor={fieldId} className="visually-hidden">
        What’s happening?
      </label>
      <textarea
        id={fieldId}
        value={text}
        placeholder="What’s happening?"
        rows={3}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) {
            e.preventDefault();
            submit(false);
          }
        }}
        aria-invalid={error?.field || length.remaining < 0 ? true : undefined}
        aria-describedby={error ? errorId : undefined}
      />
      {error && (
        <div id={errorId} role="alert" className="field-error">
          {error.message}
          {error.retry && (
            <button type="button" className="link-button" onClick={() => error.retry && void send(error.retry)}>
              Retry
            </button>
          )}
        </div>
      )}
      {notice && (
        <p role="status" className="notice">
          {notice} <Link to="/me/tweets?state=draft">See drafts</Link>
        </p>
      )}
      <div className="compose-bar">
        <CharacterCounter length={length} />
        <button type="button" className="secondary" disabled={!canSubmit} onClick={() => submit(true)}>
          Save draft
        </button>
        <button type="submit" className="primary" disabled={!canSubmit}>
          {busy ? 'Posting…' : 'Post'}
        </button>
      </div>
    </form>
  );
}
