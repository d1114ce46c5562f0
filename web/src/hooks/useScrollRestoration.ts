import { useLayoutEffect, useRef } from 'react';
import { useLocation, useNavigationType } from 'react-router';

/** How long a restored page may take to become tall enough (its list read from the cache, or fetched). */
const RESTORE_WITHIN_MS = 2_000;
/** Positions kept for this many history entries. */
const REMEMBERED = 50;

/**
 * Scroll positions, as people expect from a feed: Back (and Forward) return to where the
 * page was left, a new page starts at the top. The browser cannot do it for an app whose
 * pages are drawn after the navigation (the lists come from the query cache a moment
 * later), so the position of each history entry is kept here and restored once the page
 * is tall enough for it.
 */
export function useScrollRestoration(): void {
  const location = useLocation();
  const type = useNavigationType();
  const positions = useRef(new Map<string, number>());
  const current = useRef(location.key);

  useLayoutEffect(() => {
    if ('scrollRestoration' in history) history.scrollRestoration = 'manual';
    const save = () => {
      positions.current.set(current.current, window.scrollY);
      if (positions.current.size > REMEMBERED) positions.current.delete(positions.current.keys().next().value as string);
    };
    window.addEventListener('scroll', save, { passive: true });
    return () => window.removeEventListener('scroll', save);
  }, []);

  useLayoutEffect(() => {
    if (current.current === location.key) return;
    current.current = location.key;
    const saved = type === 'POP' ? positions.current.get(location.key) : undefined;
    if (saved === undefined) {
      // A new page (or an entry this tab has no position for) starts at the top; a link to an anchor is left to the browser.
      if (!location.hash) window.scrollTo(0, 0);
      return;
    }
    const deadline = performance.now() + RESTORE_WITHIN_MS;
    let frame = 0;
    const attempt = () => {
      const reachable = document.documentElement.scrollHeight - window.innerHeight >= saved;
      if (reachable || performance.now() > deadline) {
        window.scrollTo(0, saved);
        return;
      }
      frame = requestAnimationFrame(attempt);
    };
    attempt();
    return () => cancelAnimationFrame(frame);
  }, [location.key, location.hash, type]);
}
