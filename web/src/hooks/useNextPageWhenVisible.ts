import { useEffect, type RefObject } from 'react';

/**
 * Asks for the next page of a paged list when `sentinel` (the end of the list) comes within
 * 400 px of the viewport; the list's "Load more" button does the same from the keyboard.
 *
 * Not while focus is inside the sentinel: a keyboard user who reached "Load more" (or jumped
 * there with "Skip past the list") decides with the button, and what follows the list stays
 * where they are instead of being pushed away by pages they did not ask for.
 */
export function useNextPageWhenVisible(
  sentinel: RefObject<HTMLElement | null>,
  { hasNextPage, isFetchingNextPage, fetchNextPage }: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown },
): void {
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !hasNextPage || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver(
      (entries) => {
        if (el.contains(document.activeElement)) return;
        if (entries.some((e) => e.isIntersecting) && !isFetchingNextPage) void fetchNextPage();
      },
      { rootMargin: '400px' },
    );
    io.observe(el);
    return () => io.disconnect();
  }, [sentinel, hasNextPage, isFetchingNextPage, fetchNextPage]);
}
