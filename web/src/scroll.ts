/** Back to the top of the page: smoothly, unless the reader asked for reduced motion. */
export function scrollToTop(): void {
  const reduce = typeof window.matchMedia === 'function' && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  window.scrollTo({ top: 0, behavior: reduce ? 'auto' : 'smooth' });
}

/**
 * After "Show N new tweets": back to the top, and focus on the newest tweet (the banner that
 * had focus is gone; focus would fall to the page's body). Without scrolling again: the
 * scroll above moves the page.
 */
export function showNewest(): void {
  scrollToTop();
  requestAnimationFrame(() => document.querySelector<HTMLElement>('main article[data-tweet-id]')?.focus({ preventScroll: true }));
}
