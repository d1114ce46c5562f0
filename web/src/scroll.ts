/** Back to the top of the page: smoothly, unless the reader asked for reduced motion. */
export function scrollToTop(): void {
  const reduce = typeof window.matchMedia === 'function' && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  window.scrollTo({ top: 0, behavior: reduce ? 'auto' : 'smooth' });
}
