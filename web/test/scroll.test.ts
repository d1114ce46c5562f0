// The "show new tweets" jump to the top respects prefers-reduced-motion (issue 13).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { scrollToTop } from '../src/scroll';

function motion(reduce: boolean) {
  vi.stubGlobal('matchMedia', (q: string) => ({ matches: reduce && q.includes('reduce'), media: q }));
  const scrollTo = vi.fn();
  vi.stubGlobal('scrollTo', scrollTo);
  return scrollTo;
}

afterEach(() => vi.unstubAllGlobals());

describe('scrollToTop', () => {
  it('scrolls smoothly by default', () => {
    const scrollTo = motion(false);
    scrollToTop();
    expect(scrollTo).toHaveBeenCalledWith({ top: 0, behavior: 'smooth' });
  });

  it('jumps when the reader asked for reduced motion', () => {
    const scrollTo = motion(true);
    scrollToTop();
    expect(scrollTo).toHaveBeenCalledWith({ top: 0, behavior: 'auto' });
  });
});
