import { useLayoutEffect, useRef } from 'react';
import { useLocation, useNavigationType } from 'react-router';

/** How long to wait for the new page's heading (it may appear only once its data is loaded). */
const WAIT_MS = 3000;

/**
 * After an in-app navigation (not the first load, nor the redirects that follow it), moves focus to the new page's main heading
 * (`main h1`, made focusable with tabIndex=-1), or to `main` itself when the page has none,
 * so screen reader and keyboard users start at the new content instead of on a stale link or
 * on <body>. Focus the reader or the page put somewhere in the new page meanwhile (e.g. an
 * autofocused field) is left alone: only focus still on <body> or in the header is moved.
 */
export function useRouteFocus(mainId = 'main'): void {
  const { pathname } = useLocation();
  const type = useNavigationType();
  const first = useRef(true);
  // Armed by the reader's first navigation: the redirects of the first load (`/` to `/home`) keep focus where the browser put it.
  const armed = useRef(false);

  // A layout effect: the focus moves in the same task as the page's first paint, before the reader (or a test) acts on it.
  useLayoutEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (type !== 'REPLACE') armed.current = true;
    if (!armed.current) return;
    const main = document.getElementById(mainId);
    if (!main) return;
    let done = false;

    const movable = () => {
      const a = document.activeElement;
      return !a || a === document.body || a === main || (!main.contains(a) && !a.closest('[role="dialog"]'));
    };
    const tryFocus = (final: boolean): boolean => {
      if (done) return true;
      const heading = main.querySelector<HTMLElement>('h1');
      const target = heading ?? (final ? main : null);
      if (!target) return false;
      done = true;
      if (!movable()) return true;
      if (!target.hasAttribute('tabindex')) target.tabIndex = -1;
      target.focus({ preventScroll: true });
      return true;
    };

    if (tryFocus(false)) return;
    const mo = new MutationObserver(() => {
      if (tryFocus(false)) mo.disconnect();
    });
    mo.observe(main, { childList: true, subtree: true });
    const timer = setTimeout(() => {
      mo.disconnect();
      tryFocus(true);
    }, WAIT_MS);
    return () => {
      done = true;
      mo.disconnect();
      clearTimeout(timer);
    };
    // Only a new path moves focus: `?state=` tabs and filters keep it on what the reader used.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [pathname, mainId]);
}
