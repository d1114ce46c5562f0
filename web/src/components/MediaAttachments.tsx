import { useCallback, useEffect, useId, useRef, useState, type ClipboardEvent, type DragEvent } from 'react';
import { ApiError } from '../api/client';
import {
  ACCEPT_ATTRIBUTE,
  admitMedia,
  fileProblem,
  MAX_ALT_TEXT,
  mediaApi,
  mediaErrorMessage,
  mediaSetProblem,
  mediaTypeOfFile,
  posterOf,
  type Media,
  type MediaType,
  type Upload,
} from '../api/media';
import { useVisiblePolling } from '../hooks/useVisiblePolling';

/** How often a GIF or video being processed is asked about. */
const PROCESSING_POLL_MS = 1000;

/** One file on its way into a tweet, from the first byte sent to a ready media. */
export interface Attachment {
  /** Stable for React across the upload's phases (the server's id comes later). */
  key: string;
  /** The file's name, for messages; a media already in the tweet has none. */
  name: string;
  /** The browser's guess from the file, then what the server found. */
  type: MediaType;
  /**
   * `uploading`: bytes on their way; `processing`: the server is converting it;
   * `ready`: can be posted; `stalled`: the upload failed in a way a retry may fix.
   */
  phase: 'uploading' | 'processing' | 'ready' | 'stalled';
  /** 0 to 1, while uploading. */
  progress: number;
  media: Media | null;
  file: File | null;
  /** A local preview of the file itself, shown before the server's preview exists. */
  localUrl: string | null;
  problem: string | null;
  /** In a posted tweet already: its description can no longer change. */
  locked: boolean;
}

function objectUrl(file: File): string | null {
  return typeof URL.createObjectURL === 'function' ? URL.createObjectURL(file) : null;
}

function revoke(a: Attachment) {
  if (a.localUrl && typeof URL.revokeObjectURL === 'function') URL.revokeObjectURL(a.localUrl);
}

function isAbort(e: unknown): boolean {
  return e instanceof DOMException && e.name === 'AbortError';
}

/** Worth another try with the same file: the connection, or a busy server. */
function retryable(e: unknown): boolean {
  return e instanceof ApiError && (e.code === 'network' || e.status === 429 || e.status >= 500);
}

let nextKey = 0;

export type Attachments = ReturnType<typeof useAttachments>;

/**
 * The media of a tweet being written: each file uploads as soon as it is added, GIFs and
 * videos are then followed until processed, and the set always follows the combination
 * rule. `initial` is a tweet's media when editing it (`locked`: already posted, so the
 * descriptions are final).
 */
export function useAttachments({ initial = [], locked = false }: { initial?: readonly Media[]; locked?: boolean } = {}) {
  const [items, setItems] = useState<Attachment[]>(() =>
    initial.map((media) => ({
      key: `media-${media.id}`,
      name: '',
      type: media.type,
      phase: media.state === 'ready' ? 'ready' : 'processing',
      progress: 1,
      media,
      file: null,
      localUrl: null,
      problem: null,
      locked,
    })),
  );
  // Files refused (by the rule, by the browser or by the server), each said in words.
  const [notices, setNotices] = useState<string[]>([]);
  const uploads = useRef(new Map<string, Upload>());
  // Event handlers and the unmount cleanup read the latest list without waiting for a render.
  const current = useRef(items);
  current.current = items;

  useEffect(() => {
    const inFlight = uploads.current;
    return () => {
      for (const u of inFlight.values()) u.abort();
      inFlight.clear();
      current.current.forEach(revoke);
    };
  }, []);

  const update = useCallback((key: string, patch: (a: Attachment) => Partial<Attachment>) => {
    setItems((list) => list.map((a) => (a.key === key ? { ...a, ...patch(a) } : a)));
  }, []);

  const discard = useCallback((key: string, notice: string) => {
    setItems((list) => {
      list.filter((a) => a.key === key).forEach(revoke);
      return list.filter((a) => a.key !== key);
    });
    setNotices((n) => [...n, notice]);
  }, []);

  /** The server's latest word on a media: ready, still processing, or failed (then it leaves the set). */
  const settle = useCallback(
    (key: string, media: Media) => {
      if (media.state === 'failed') {
        const item = current.current.find((a) => a.key === key);
        const subject = item?.name ? `“${item.name}”` : `The ${media.type === 'image' ? 'image' : media.type === 'gif' ? 'GIF' : 'video'}`;
        discard(key, `${subject} could not be processed${media.error ? `: ${media.error}` : '.'}`);
        return;
      }
      update(key, () => ({ media, type: media.type, phase: media.state === 'ready' ? 'ready' : 'processing', progress: 1, problem: null }));
    },
    [discard, update],
  );

  const start = useCallback(
    (a: Attachment) => {
      if (!a.file) return;
      const upload = mediaApi.upload(a.file, { onProgress: (f) => update(a.key, () => ({ progress: f })) });
      uploads.current.set(a.key, upload);
      upload.promise.then(
        (media) => {
          uploads.current.delete(a.key);
          settle(a.key, media);
        },
        (e: unknown) => {
          uploads.current.delete(a.key);
          if (isAbort(e)) return;
          const message = mediaErrorMessage(e, a.name);
          if (retryable(e)) update(a.key, () => ({ phase: 'stalled', problem: message }));
          else discard(a.key, message);
        },
      );
    },
    [discard, settle, update],
  );

  /** Takes what was picked, dropped or pasted: each file that may join starts uploading at once. */
  const add = useCallback(
    (files: readonly File[]) => {
      if (files.length === 0) return;
      const refused: string[] = [];
      const candidates: { file: File; type: MediaType }[] = [];
      for (const file of files) {
        const problem = fileProblem(file);
        const type = mediaTypeOfFile(file);
        if (problem || !type) refused.push(problem ?? `“${file.name}” cannot be attached.`);
        else candidates.push({ file, type });
      }
      const { admitted, problem } = admitMedia(
        current.current.map((a) => a.type),
        candidates.map((c) => c.type),
      );
      if (problem) refused.push(problem);
      const fresh: Attachment[] = candidates
        .filter((_, i) => admitted[i])
        .map(({ file, type }) => ({
          key: `upload-${++nextKey}`,
          name: file.name,
          type,
          phase: 'uploading',
          progress: 0,
          media: null,
          file,
          localUrl: objectUrl(file),
          problem: null,
          locked: false,
        }));
      setNotices(refused);
      if (fresh.length === 0) return;
      current.current = [...current.current, ...fresh];
      setItems((list) => [...list, ...fresh]);
      fresh.forEach(start);
    },
    [start],
  );

  const remove = useCallback((key: string) => {
    uploads.current.get(key)?.abort();
    uploads.current.delete(key);
    setItems((list) => {
      list.filter((a) => a.key === key).forEach(revoke);
      return list.filter((a) => a.key !== key);
    });
    setNotices([]);
  }, []);

  const retry = useCallback(
    (key: string) => {
      const a = current.current.find((x) => x.key === key);
      if (!a || a.phase !== 'stalled') return;
      const again = { ...a, phase: 'uploading' as const, progress: 0, problem: null };
      update(key, () => again);
      start(again);
    },
    [start, update],
  );

  /** Empties the set after the tweet took it (the files are the tweet's now: nothing is aborted). */
  const clear = useCallback(() => {
    current.current.forEach(revoke);
    current.current = [];
    setItems([]);
    setNotices([]);
  }, []);

  const setMedia = useCallback((key: string, media: Media) => update(key, () => ({ media })), [update]);

  const ruleProblem = mediaSetProblem(items.map((a) => a.type));
  const ready = items.every((a) => a.phase === 'ready' && a.media) && !ruleProblem;
  return {
    items,
    notices,
    /** The rule's sentence when the set breaks it (the server may find a file to be another type than it looked). */
    ruleProblem,
    /** Every file uploaded and processed, and the set postable. */
    ready,
    mediaIds: items.flatMap((a) => (a.media ? [a.media.id] : [])),
    media: items.flatMap((a) => (a.media ? [a.media] : [])),
    add,
    remove,
    retry,
    clear,
    settle,
    setMedia,
    dismissNotices: () => setNotices([]),
  };
}

function filesOf(list: FileList | null | undefined): File[] {
  return list ? Array.from(list) : [];
}

/** Drop and paste handlers for a form that takes files, and whether a drag is over it. */
export function useFileDrop(attachments: Attachments, enabled = true) {
  const [over, setOver] = useState(false);
  // dragenter and dragleave fire for every child crossed; count them to know when the drag left the form.
  const depth = useRef(0);
  const carriesFiles = (e: DragEvent) => enabled && Array.from(e.dataTransfer?.types ?? []).includes('Files');
  return {
    over,
    dropProps: {
      onDragEnter: (e: DragEvent) => {
        if (!carriesFiles(e)) return;
        e.preventDefault();
        depth.current += 1;
        setOver(true);
      },
      onDragOver: (e: DragEvent) => {
        if (!carriesFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      },
      onDragLeave: (e: DragEvent) => {
        if (!carriesFiles(e)) return;
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setOver(false);
      },
      onDrop: (e: DragEvent) => {
        depth.current = 0;
        setOver(false);
        if (!carriesFiles(e)) return;
        e.preventDefault();
        attachments.add(filesOf(e.dataTransfer.files));
      },
    },
    /** For the text field: an image on the clipboard is attached; text pastes as usual. */
    onPaste: (e: ClipboardEvent) => {
      if (!enabled) return;
      const files = filesOf(e.clipboardData?.files);
      if (files.length === 0) return;
      // Copying from a page can carry both a picture and its text; then the text is what was meant.
      if (e.clipboardData.getData('text/plain')) return;
      e.preventDefault();
      attachments.add(files);
    },
  };
}

/** The "Add media" button: a file input with a visible label. */
export function AddMediaButton({ attachments, disabled = false }: { attachments: Attachments; disabled?: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <label className={`button add-media${disabled ? ' disabled' : ''}`}>
      <input
        ref={input}
        type="file"
        className="visually-hidden"
        accept={ACCEPT_ATTRIBUTE}
        multiple
        disabled={disabled}
        onChange={(e) => {
          attachments.add(filesOf(e.target.files));
          // Picking the same file again after removing it must fire `change` again.
          e.target.value = '';
        }}
      />
      <svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true">
        <path d="M19 4H5a2 2 0 0 0-2 2v12a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2V6a2 2 0 0 0-2-2Zm0 14H5V6h14v12Zm-5.5-6.5L10 16l-2-2.5L5.5 17h13l-5-5.5ZM8.5 10.5a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3Z" />
      </svg>
      Add media
    </label>
  );
}

/**
 * The attached files as the composer shows them: a progress bar per upload, "Processing…"
 * while the server converts, then a preview with its description; each can be removed.
 */
export function AttachmentList({ attachments, disabled = false }: { attachments: Attachments; disabled?: boolean }) {
  const { items, notices, ruleProblem } = attachments;
  if (items.length === 0 && notices.length === 0) return null;
  return (
    <div className="attachments">
      {(notices.length > 0 || ruleProblem) && (
        <div role="alert" className="attachment-notices">
          {ruleProblem && !notices.includes(ruleProblem) && <p>{ruleProblem}</p>}
          {notices.map((n, i) => (
            <p key={i}>{n}</p>
          ))}
          {notices.length > 0 && (
            <button type="button" className="link-button" onClick={attachments.dismissNotices}>
              Dismiss
            </button>
          )}
        </div>
      )}
      {items.length > 0 && (
        <ul className={`attachment-grid attachment-grid-${Math.min(items.length, 4)}`} aria-label="Attached media">
          {items.map((a, i) => (
            <AttachmentItem key={a.key} attachment={a} position={i + 1} attachments={attachments} disabled={disabled} />
          ))}
        </ul>
      )}
    </div>
  );
}

const NOUN: Record<MediaType, string> = { image: 'Image', gif: 'GIF', video: 'Video' };

function AttachmentItem({
  attachment: a,
  position,
  attachments,
  disabled,
}: {
  attachment: Attachment;
  position: number;
  attachments: Attachments;
  disabled: boolean;
}) {
  const [editing, setEditing] = useState(false);
  const what = a.name ? `${NOUN[a.type]} ${position} (${a.name})` : `${NOUN[a.type]} ${position}`;
  const percent = Math.round(a.progress * 100);
  const altText = a.media?.altText ?? '';
  return (
    <li className={`attachment attachment-${a.phase}`} data-phase={a.phase} aria-label={what}>
      <div className="attachment-preview">
        <Preview attachment={a} />
        {a.phase === 'uploading' && (
          <div className="attachment-status">
            <div
              role="progressbar"
              aria-label={`Uploading ${a.name || NOUN[a.type].toLowerCase()}`}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={percent}
              className="progress"
            >
              <div className="progress-fill" style={{ width: `${percent}%` }} />
            </div>
            <span aria-hidden="true">{percent}%</span>
          </div>
        )}
        {a.phase === 'processing' && (
          <div className="attachment-status" role="status">
            Processing…
            {a.media && <PollWhileProcessing attachment={a} attachments={attachments} />}
          </div>
        )}
        {a.phase === 'stalled' && (
          <div className="attachment-status attachment-stalled">
            <span>{a.problem}</span>
            <button type="button" className="link-button" onClick={() => attachments.retry(a.key)} disabled={disabled}>
              Retry
            </button>
          </div>
        )}
        {a.type === 'gif' && <span className="media-badge gif-badge">GIF</span>}
        {a.media && !altText && a.phase !== 'uploading' && <span className="media-badge no-alt-badge">No description</span>}
      </div>
      <div className="attachment-actions">
        {a.media && !a.locked && (
          <button type="button" className="link-button" onClick={() => setEditing((e) => !e)} aria-expanded={editing} disabled={disabled}>
            {altText ? 'Edit description' : 'Add description'}
          </button>
        )}
        <button
          type="button"
          className="link-button danger-text"
          onClick={() => attachments.remove(a.key)}
          aria-label={`Remove ${what}`}
          disabled={disabled}
        >
          Remove
        </button>
      </div>
      {a.locked && altText && (
        <p className="attachment-alt muted" title="Descriptions cannot change once posted">
          {altText}
        </p>
      )}
      {editing && a.media && (
        <AltTextEditor
          media={a.media}
          what={what}
          onSaved={(media) => {
            attachments.setMedia(a.key, media);
            setEditing(false);
          }}
          onCancel={() => setEditing(false)}
        />
      )}
    </li>
  );
}

function Preview({ attachment: a }: { attachment: Attachment }) {
  // The server's small WebP or poster frame once it exists; the file itself before.
  const server = a.media ? (a.type === 'image' ? a.media.previewUrl : posterOf(a.media)) : null;
  if (server) return <img src={server} alt="" className="attachment-thumb" />;
  if (a.localUrl && a.type === 'image') return <img src={a.localUrl} alt="" className="attachment-thumb" />;
  // A GIF or video's first frame, until the poster is ready.
  if (a.localUrl) return <video src={a.localUrl} muted preload="metadata" className="attachment-thumb" aria-hidden="true" />;
  return <div className="attachment-thumb attachment-blank" aria-hidden="true" />;
}

/** Asks after a GIF or video every second while it is processed (and the tab visible). */
function PollWhileProcessing({ attachment, attachments }: { attachment: Attachment; attachments: Attachments }) {
  const id = attachment.media!.id;
  useVisiblePolling(async (signal) => {
    try {
      const media = await mediaApi.get(id, signal);
      if (!signal.aborted) attachments.settle(attachment.key, media);
    } catch (e) {
      // Gone for good (the server dropped it): stop asking. Anything else, the next tick asks again.
      if (e instanceof ApiError && e.status === 404) attachments.settle(attachment.key, { ...attachment.media!, state: 'failed' });
      else throw e;
    }
  }, PROCESSING_POLL_MS);
  return null;
}

/** The description of one media (what a screen reader says instead of the picture), saved on the server. */
function AltTextEditor({
  media,
  what,
  onSaved,
  onCancel,
}: {
  media: Media;
  what: string;
  onSaved: (media: Media) => void;
  onCancel: () => void;
}) {
  const fieldId = useId();
  const [text, setText] = useState(media.altText);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function save() {
    setSaving(true);
    setError(null);
    try {
      onSaved(await mediaApi.setAltText(media.id, text.trim()));
    } catch (e) {
      setError(mediaErrorMessage(e));
      setSaving(false);
    }
  }

  return (
    // Not a <form>: it sits inside the composer's form, and forms cannot nest.
    <div
      className="alt-editor"
      role="group"
      aria-label={`Description of ${what}`}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onCancel();
        }
      }}
    >
      <label htmlFor={fieldId}>Description</label>
      <textarea
        id={fieldId}
        value={text}
        maxLength={MAX_ALT_TEXT}
        rows={3}
        autoFocus
        placeholder="Describe it for people who cannot see it"
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) {
            e.preventDefault();
            e.stopPropagation();
            void save();
          }
        }}
        aria-describedby={`${fieldId}-count${error ? ` ${fieldId}-error` : ''}`}
      />
      <div className="alt-editor-bar">
        <span id={`${fieldId}-count`} className="hint">
          {text.length.toLocaleString('en')} / {MAX_ALT_TEXT.toLocaleString('en')}
        </span>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="primary" onClick={() => void save()} disabled={saving || text.trim() === media.altText}>
          {saving ? 'Saving…' : 'Save description'}
        </button>
      </div>
      {error && (
        <p id={`${fieldId}-error`} role="alert" className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
