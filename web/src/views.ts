// View counting: a tweet counts as seen once at least half of its card has been on screen
// for a second (a tweet scrolled past in a flick was not read), once per tweet per tab
// session (kept in sessionStorage, so a reload does not count again; the server also
// counts one view per viewer per 30 minutes). Seen ids are sent in batches
// (`POST /api/tweets/views`) every few seconds, and once more as the tab is hidden.
// Only a signed-in reader's views are counted (the server needs whose view it is).

import { useCallback, useRef } from 'react';
import { api, tokenStore } from './api/client';

export const VISIBLE_FOR_MS = 1_000;
export const VISIBLE_SHARE = 0.5;
export const SEND_EVERY_MS = 5_000;
const BATCH = 100;
const STORAGE_KEY = 'starling.viewed';
/** The session's memory of what was counted is bounded; the server's window covers the rest. */
const REMEMBERED = 2_000;

function remembered(): Set<string> {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    return new Set(raw ? (JSON.parse(raw) as string[]) : []);
  } catch {
    return new Set();
  }
}

export class ViewReporter {
  private readonly counted = remembered();
  private readonly pending = new Set<string>();
  private readonly watched = new Map<Element, { id: string; timer: ReturnType<typeof setTimeout> | null }>();
  private observer: IntersectionObserver | null = null;
  private sendTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly send: (ids: string[], leaving: boolean) => Promise<unknown> = (ids, leaving) => api.reportViews(ids, leaving)) {
    if (typeof document !== 'undefined') {
      document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'hidden') this.flush(true);
      });
    }
  }

  /** Watches a card until the returned function is called. */
  watch(element: Element, id: string): () => void {
    if (typeof IntersectionObserver === 'undefined' || this.counted.has(id)) return () => {};
    this.observer ??= new IntersectionObserver((entries) => this.onChange(entries), { threshold: [0, VISIBLE_SHARE] });
    this.watched.set(element, { id, timer: null });
    this.observer.observe(element);
    return () => {
      const w = this.watched.get(element);
      if (w?.timer) clearTimeout(w.timer);
      this.watched.delete(element);
      this.observer?.unobserve(element);
    };
  }

  private onChange(entries: IntersectionObserverEntry[]) {
    for (const entry of entries) {
      const w = this.watched.get(entry.target);
      if (!w) continue;
      const visible = entry.isIntersecting && entry.intersectionRatio >= VISIBLE_SHARE;
      if (visible && !w.timer) {
        w.timer = setTimeout(() => {
          w.timer = null;
          this.seen(w.id);
          this.observer?.unobserve(entry.target);
          this.watched.delete(entry.target);
        }, VISIBLE_FOR_MS);
      } else if (!visible && w.timer) {
        clearTimeout(w.timer);
        w.timer = null;
      }
    }
  }

  private seen(id: string) {
    if (this.counted.has(id) || !tokenStore.get()) return;
    this.counted.add(id);
    this.pending.add(id);
    try {
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify([...this.counted].slice(-REMEMBERED)));
    } catch {
      // Storage full or blocked: the server's window still keeps counts honest.
    }
    this.sendTimer ??= setTimeout(() => {
      this.sendTimer = null;
      this.flush(false);
    }, SEND_EVERY_MS);
  }

  /** Sends what is waiting; `leaving` lets the last batch outlive the page. */
  flush(leaving: boolean) {
    if (this.sendTimer) clearTimeout(this.sendTimer);
    this.sendTimer = null;
    while (this.pending.size > 0) {
      const ids = [...this.pending].slice(0, BATCH);
      for (const id of ids) this.pending.delete(id);
      // A lost report loses a view count, nothing the reader sees: not retried.
      this.send(ids, leaving).catch(() => {});
    }
  }
}

export const viewReporter = new ViewReporter();

/**
 * A ref for a tweet's card: its view is counted once it has been seen (see above).
 * `id` null (a draft, an optimistic placeholder): nothing is counted.
 */
export function useCountView(id: string | null): (element: Element | null) => void {
  const release = useRef<(() => void) | null>(null);
  return useCallback(
    (element: Element | null) => {
      release.current?.();
      release.current = element && id ? viewReporter.watch(element, id) : null;
    },
    [id],
  );
}
