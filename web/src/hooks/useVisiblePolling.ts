import { useEffect, useRef } from 'react';

/**
 * Calls `poll` every `intervalMs` while the page is visible and the component
 * mounted. Hiding the tab stops the timer and aborts the request in flight;
 * unmounting does the same, so no interval outlives the page.
 */
export function useVisiblePolling(poll: (signal: AbortSignal) => Promise<void>, intervalMs: number): void {
  const pollRef = useRef(poll);
  pollRef.current = poll;

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let ctrl: AbortController | null = null;
    let running = false;

    const tick = async () => {
      timer = null;
      ctrl = new AbortController();
      try {
        await pollRef.current(ctrl.signal);
      } catch {
        // A failed poll is shown by the caller; the next tick tries again.
      }
      if (running) timer = setTimeout(tick, intervalMs);
    };
    const start = () => {
      if (running) return;
      running = true;
      void tick();
    };
    const stop = () => {
      running = false;
      if (timer) clearTimeout(timer);
      timer = null;
      ctrl?.abort();
    };
    const onVisibility = () => (document.hidden ? stop() : start());

    if (!document.hidden) start();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      stop();
    };
  }, [intervalMs]);
}
