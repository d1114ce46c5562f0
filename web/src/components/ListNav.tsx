import { useRef, type RefObject } from 'react';
import { useNextPageWhenVisible } from '../hooks/useNextPageWhenVisible';

/**
 * "Skip past the list", first in a long (infinite) list and shown only when focused: keyboard
 * users need not tab through every entry, nor chase an end that moves as pages load, to reach
 * what follows. It moves focus to `end` (the list's end, with tabIndex=-1).
 */
export function SkipPastList({ end, label = 'Skip past the list' }: { end: RefObject<HTMLElement | null>; label?: string }) {
  return (
    <a
      href="#"
      className="skip-list"
      onClick={(e) => {
        e.preventDefault();
        const el = end.current;
        if (!el) return;
        if (!el.hasAttribute('tabindex')) el.tabIndex = -1;
        el.focus();
      }}
    >
      {label}
    </a>
  );
}

/**
 * "Load more". While loading it stays focusable (aria-disabled, not disabled): a button that
 * disables itself under focus drops focus to <body>.
 */
export function LoadMoreButton({ loading, onLoad, label = 'Load more' }: { loading: boolean; onLoad: () => void; label?: string }) {
  return (
    <button
      type="button"
      aria-disabled={loading || undefined}
      onClick={() => {
        if (!loading) onLoad();
      }}
    >
      {loading ? 'Loading…' : label}
    </button>
  );
}

/**
 * The top of a bounded list (api/paging.ts) read far down: the pages it dropped come back as
 * its top nears the viewport (the browser's scroll anchoring keeps what is read in place), or
 * with the button from the keyboard. Shown only while pages are missing above.
 */
export function NewerPages({
  label,
  loading,
  onLoad,
}: {
  /** What the group holds, for assistive technology ("Newer tweets"). */
  label: string;
  loading: boolean;
  onLoad: () => unknown;
}) {
  const top = useRef<HTMLDivElement>(null);
  useNextPageWhenVisible(top, { hasNextPage: true, isFetchingNextPage: loading, fetchNextPage: onLoad });
  return (
    <div ref={top} className="list-end" role="group" aria-label={label}>
      <LoadMoreButton loading={loading} onLoad={() => void onLoad()} label="Load newer" />
    </div>
  );
}
