import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, newIdempotencyKey } from '../api/client';
import { keys, prependToList, replaceInList } from '../api/cache';
import type { Media } from '../api/media';
import type { Tweet, User, Visibility } from '../api/types';
import { useTweetLength } from '../text/tweetLength';
import { CharacterCounter } from './CharacterCounter';
import { EmbeddedTweet } from './EmbeddedTweet';
import { AddMediaButton, AttachmentList, useAttachments, useFileDrop } from './MediaAttachments';
import { useMentionSuggestions } from './MentionSuggestions';

/** One submission: its key is sent again, unchanged, on every retry of the same text. */
interface Submission {
  key: string;
  content: string;
  draft: boolean;
  visibility: Visibility | null;
  /** In the order the reader attached them. */
  media: Media[];
}

function sameMedia(a: readonly Media[], b: readonly Media[]): boolean {
  return a.length === b.length && a.every((m, i) => m.id === b[i]?.id);
}

const VISIBILITIES: { value: Visibility; label: string }[] = [
  { value: 'public', label: 'Public' },
  { value: 'unlisted', label: 'Unlisted' },
  { value: 'followers', label: 'Followers' },
];
/** Narrowest last: a reply may not be read by more people than its parent. */
const WIDTH: Record<Visibility, number> = { public: 2, unlisted: 1, followers: 0 };

const LOCAL_DRAFT_KEY = 'starling.compose';
const PUBLIC_ONLY: readonly Visibility[] = ['public'];

function retryable(e: unknown): boolean {
  return e instanceof ApiError && (e.code === 'network' || e.status === 429 || e.status >= 500);
}

export function placeholderTweet(user: User, content: string, key: string, media: Media[] = []): Tweet {
  const now = new Date().toISOString();
  const tweet: Tweet = {
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
    media,
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
  return tweet;
}

export function isPlaceholder(t: Tweet): boolean {
  return t.id.startsWith('pending:');
}

/**
 * The "What's happening?" box: weighted counter, post (shown at once, rolled
 * back if refused), save as draft, and an Idempotency-Key per submission.
 */
export function ComposeBox({
  user,
  listKey,
  listVisibilities = PUBLIC_ONLY,
  replyTo,
  quoteOf,
  onPosted,
  autoFocus = false,
}: {
  user: User;
  /** The list the new tweet is shown in at once, when its visibility is one of `listVisibilities`. */
  listKey?: readonly unknown[];
  /** Which tweets belong in `listKey`: public ones for the public timelines, any of one's own for home. */
  listVisibilities?: readonly Visibility[];
  replyTo?: Tweet;
  quoteOf?: Tweet;
  onPosted?: (tweet: Tweet) => void;
  autoFocus?: boolean;
}) {
  const qc = useQueryClient();
  const fieldId = useId();
  // Only the main box keeps unsent text across reloads: a reply's text belongs to its tweet.
  const storageKey = replyTo || quoteOf ? null : `${LOCAL_DRAFT_KEY}.${user.id}`;
  const [text, setText] = useState(() => (storageKey && localStorage.getItem(storageKey)) || '');
  // null: not chosen, so the server's default applies (public, or followers for a protected account).
  const [chosen, setChosen] = useState<Visibility | null>(null);
  const [posted, setPosted] = useState<Tweet | null>(null);
  const own = useQuery({
    queryKey: keys.profile(user.username),
    queryFn: ({ signal }) => api.profile(user.username, signal),
    enabled: !replyTo,
  });
  const defaultVisibility: Visibility = replyTo ? replyTo.visibility : own.data?.protected ? 'followers' : 'public';
  const visibility = chosen ?? defaultVisibility;
  const [error, setError] = useState<{ message: string; field: boolean; retry: Submission | null } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inFlight = useRef(false);
  /** A list read cancelled to put the placeholder in: asked again once the tweet is posted. */
  const restartAfter = useRef<readonly unknown[] | null>(null);
  const lastFailed = useRef<Submission | null>(null);
  const length = useTweetLength(text);
  const field = useRef<HTMLTextAreaElement>(null);
  const mentions = useMentionSuggestions(field, text, setText, `${fieldId}-mentions`);
  const attachments = useAttachments();
  const drop = useFileDrop(attachments, !busy);

  // Unsent text survives a reload; it is the browser's, not a server draft.
  useEffect(() => {
    if (!storageKey) return;
    if (text) localStorage.setItem(storageKey, text);
    else localStorage.removeItem(storageKey);
  }, [text, storageKey]);

  const hasMedia = attachments.items.length > 0;
  // With media the text may be empty; whitespace alone is sent as empty.
  const textOk = length.blank ? hasMedia : length.valid;
  const canSubmit = textOk && !busy && (!hasMedia || attachments.ready);

  async function send(submission: Submission) {
    if (inFlight.current) return;
    inFlight.current = true;
    setBusy(true);
    setError(null);
    setNotice(null);
    setPosted(null);
    const placeholderId = `pending:${submission.key}`;
    // The public lists never show other visibilities; the home shows all of one's own.
    const showInList =
      listKey && !submission.draft && listVisibilities.includes(submission.visibility ?? defaultVisibility) ? listKey : null;
    if (showInList) {
      // A read of the list already in flight would answer without the new tweet and drop the
      // placeholder: cancelled, and asked again once the tweet exists.
      const interrupted = qc.getQueryState(showInList)?.fetchStatus === 'fetching';
      if (interrupted) {
        await qc.cancelQueries({ queryKey: showInList, exact: true });
        restartAfter.current = showInList;
      }
      prependToList(qc, showInList, [placeholderTweet(user, submission.content, submission.key, submission.media)]);
    }
    setText('');
    try {
      const tweet = await api.createTweet(
        {
          content: submission.content,
          ...(submission.media.length > 0 ? { mediaIds: submission.media.map((m) => m.id) } : {}),
          draft: submission.draft || undefined,
          ...(submission.visibility ? { visibility: submission.visibility } : {}),
          ...(replyTo ? { replyToId: replyTo.id } : {}),
          ...(quoteOf ? { quoteOfId: quoteOf.id } : {}),
        },
        submission.key,
      );
      lastFailed.current = null;
      attachments.clear();
      if (submission.draft) setNotice('Saved to your drafts.');
      else if (showInList) replaceInList(qc, showInList, placeholderId, tweet);
      else if (!onPosted) setPosted(tweet);
      void qc.invalidateQueries({ queryKey: ['tweets', 'mine'] });
      void qc.invalidateQueries({ queryKey: ['tweets', 'user', user.username.toLowerCase()] });
      void qc.invalidateQueries({ queryKey: keys.profile(user.username) });
      // The stream skips the reader's own tweets, so a quote would not reach the timeline otherwise.
      if (quoteOf) void qc.invalidateQueries({ queryKey: keys.timelines });
      // The parent's reply count moved.
      if (replyTo) void qc.invalidateQueries({ queryKey: keys.tweet(replyTo.id) });
      if (!submission.draft) onPosted?.(tweet);
      if (restartAfter.current) void qc.invalidateQueries({ queryKey: restartAfter.current, exact: true });
      restartAfter.current = null;
    } catch (e) {
      if (showInList) replaceInList(qc, showInList, placeholderId, null);
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
    const content = length.blank ? '' : text;
    const media = attachments.media;
    // Same text, media and kind, after a failure: it is a retry and keeps its key.
    const submission =
      failed && failed.content === content && failed.draft === draft && failed.visibility === chosen && sameMedia(failed.media, media)
        ? failed
        : { key: newIdempotencyKey(), content, draft, visibility: chosen, media };
    void send(submission);
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    submit(false);
  }

  const errorId = `${fieldId}-error`;
  const prompt = replyTo ? 'Post your reply' : quoteOf ? 'Add a comment' : 'What’s happening?';
  const formLabel = replyTo ? 'Reply' : quoteOf ? 'Quote tweet' : 'Compose a tweet';
  return (
    <form
      className={`compose${replyTo || quoteOf ? ' compose-inline' : ''}${drop.over ? ' dropping' : ''}`}
      onSubmit={onSubmit}
      aria-label={formLabel}
      {...drop.dropProps}
    >
      <label htmlFor={fieldId} className="visually-hidden">
        {prompt}
      </label>
      <textarea
        id={fieldId}
        value={text}
        placeholder={prompt}
        rows={replyTo || quoteOf ? 2 : 3}
        autoFocus={autoFocus}
        ref={field}
        {...mentions.fieldProps}
        onChange={(e) => {
          setText(e.target.value);
          mentions.onChangeCaret(e.target.selectionStart ?? e.target.value.length);
        }}
        onPaste={drop.onPaste}
        onKeyDown={(e) => {
          if (mentions.onKeyDown(e)) return;
          if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) {
            e.preventDefault();
            submit(false);
          }
        }}
        aria-invalid={error?.field || length.remaining < 0 ? true : undefined}
        aria-describedby={error ? errorId : undefined}
      />
      {mentions.list}
      {drop.over && (
        <p className="drop-hint" aria-hidden="true">
          Drop to attach
        </p>
      )}
      <AttachmentList attachments={attachments} disabled={busy} />
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
      {quoteOf && <EmbeddedTweet tweet={quoteOf} />}
      {notice && (
        <p role="status" className="notice">
          {notice} <Link to="/me/tweets?state=draft">See drafts</Link>
        </p>
      )}
      {posted && (
        <p role="status" className="notice">
          Posted{posted.visibility === 'followers' ? ' for your followers' : posted.visibility === 'unlisted' ? ' as unlisted' : ''}.{' '}
          <Link to={`/tweets/${posted.id}`}>View it</Link>
        </p>
      )}
      <div className="compose-bar">
        <CharacterCounter length={length} />
        <AddMediaButton attachments={attachments} disabled={busy} />
        <label className="visibility-picker">
          <span className="visually-hidden">Visibility</span>
          <select value={visibility} onChange={(e) => setChosen(e.target.value as Visibility)} aria-label="Visibility">
            {VISIBILITIES.map((v) => (
              <option key={v.value} value={v.value} disabled={!!replyTo && WIDTH[v.value] > WIDTH[replyTo.visibility]}>
                {v.label}
              </option>
            ))}
          </select>
        </label>
        {!replyTo && !quoteOf && (
          <button type="button" className="secondary" disabled={!canSubmit} onClick={() => submit(true)}>
            Save draft
          </button>
        )}
        <button type="submit" className="primary" disabled={!canSubmit}>
          {busy ? 'Posting…' : replyTo ? 'Reply' : 'Post'}
        </button>
      </div>
    </form>
  );
}
