import { useLayoutEffect, type KeyboardEvent, type RefObject } from 'react';

/**
 * What every modal dialog of the app does with focus and keys: it takes focus (on `initial`)
 * when it opens and gives it back to what had it when it closes; Escape closes it; Tab and
 * Shift+Tab go round its controls without leaving it. `lockScroll`: the page behind does not
 * scroll under it. Returns the dialog's keydown handler (a caller may handle its own keys first).
 */
export function useModal(
  dialog: RefObject<HTMLElement | null>,
  initial: RefObject<HTMLElement | null>,
  onClose: () => void,
  { lockScroll = false }: { lockScroll?: boolean } = {},
): (e: KeyboardEvent<HTMLElement>) => void {
  // A layout effect, not a passive one: focus moves in the same commit that draws the dialog.
  // A dialog loaded lazily is committed outside any event, and React may then run passive
  // effects after the paint, leaving a window in which the dialog is shown while a key still
  // goes to the page behind it (and a test that finds the dialog can see focus outside it).
  useLayoutEffect(() => {
    // Whatever had focus opened the dialog (a click or a key).
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    initial.current?.focus();
    const overflow = document.body.style.overflow;
    if (lockScroll) document.body.style.overflow = 'hidden';
    return () => {
      if (lockScroll) document.body.style.overflow = overflow;
      if (opener && opener !== document.body && document.contains(opener)) opener.focus();
    };
    // Opened once per mount.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (e) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onClose();
      return;
    }
    if (e.key !== 'Tab') return;
    const focusable = [...(dialog.current?.querySelectorAll<HTMLElement>('button:not(:disabled), a[href]') ?? [])];
    const first = focusable[0];
    const last = focusable.at(-1);
    if (!first || !last) return;
    if (e.shiftKey && (document.activeElement === first || document.activeElement === dialog.current)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };
}
