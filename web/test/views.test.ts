import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tokenStore } from '../src/api/client';
import { ViewReporter } from '../src/views';

/** Stands in for the browser's IntersectionObserver: the test says what is on screen. */
class Observer {
  static last: Observer | null = null;
  readonly targets = new Set<Element>();
  constructor(readonly callback: (entries: IntersectionObserverEntry[]) => void) {
    Observer.last = this;
  }
  observe(t: Element) {
    this.targets.add(t);
  }
  unobserve(t: Element) {
    this.targets.delete(t);
  }
  disconnect() {}
  show(target: Element, ratio: number) {
    this.callback([{ target, isIntersecting: ratio > 0, intersectionRatio: ratio } as IntersectionObserverEntry]);
  }
}

let sent: string[][];
let reporter: ViewReporter;

beforeEach(() => {
  vi.useFakeTimers();
  vi.stubGlobal('IntersectionObserver', Observer);
  sessionStorage.clear();
  tokenStore.set('tok');
  sent = [];
  reporter = new ViewReporter(async (ids) => sent.push(ids));
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const card = () => document.createElement('article');

describe('view counting', () => {
  it('counts a tweet half on screen for a second, once per session, in batches', () => {
    const a = card();
    const b = card();
    reporter.watch(a, '1');
    reporter.watch(b, '2');
    Observer.last!.show(a, 0.6);
    Observer.last!.show(b, 0.6);
    vi.advanceTimersByTime(1_000);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(5_000);
    expect(sent).toEqual([['1', '2']]);
    // Seen again later in the session (another list, a reload): not counted again.
    const again = card();
    reporter.watch(again, '1');
    new ViewReporter(async (ids) => sent.push(ids)).watch(card(), '2');
    vi.advanceTimersByTime(10_000);
    expect(sent).toEqual([['1', '2']]);
  });

  it('does not count a flick past, nor a sliver on screen', () => {
    const a = card();
    const b = card();
    reporter.watch(a, '1');
    reporter.watch(b, '2');
    Observer.last!.show(a, 0.9);
    vi.advanceTimersByTime(500);
    Observer.last!.show(a, 0);
    Observer.last!.show(b, 0.2);
    vi.advanceTimersByTime(10_000);
    expect(sent).toEqual([]);
  });

  it('sends what is waiting when the tab is hidden, and counts nothing when signed out', () => {
    const a = card();
    reporter.watch(a, '1');
    Observer.last!.show(a, 1);
    vi.advanceTimersByTime(1_000);
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
    Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
    expect(sent).toEqual([['1']]);

    tokenStore.set(null);
    const b = card();
    reporter.watch(b, '2');
    Observer.last!.show(b, 1);
    vi.advanceTimersByTime(10_000);
    expect(sent).toEqual([['1']]);
  });
});
