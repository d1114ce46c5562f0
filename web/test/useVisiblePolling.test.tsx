import { act, render } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { useVisiblePolling } from '../src/hooks/useVisiblePolling';

function Poller({ poll }: { poll: (s: AbortSignal) => Promise<void> }) {
  useVisiblePolling(poll, 1000);
  return null;
}

function setHidden(hidden: boolean) {
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
  document.dispatchEvent(new Event('visibilitychange'));
}

describe('dashboard polling', () => {
  it('polls while visible, pauses when hidden, stops for good when left', async () => {
    vi.useFakeTimers();
    setHidden(false);
    const poll = vi.fn(async () => {});
    const { unmount } = render(<Poller poll={poll} />);
    await act(async () => {});
    expect(poll).toHaveBeenCalledTimes(1);
    await act(async () => vi.advanceTimersByTimeAsync(3000));
    expect(poll).toHaveBeenCalledTimes(4);

    act(() => setHidden(true));
    await act(async () => vi.advanceTimersByTimeAsync(10_000));
    expect(poll).toHaveBeenCalledTimes(4);

    await act(async () => setHidden(false));
    expect(poll).toHaveBeenCalledTimes(5);

    unmount();
    await act(async () => vi.advanceTimersByTimeAsync(10_000));
    expect(poll).toHaveBeenCalledTimes(5);
    expect(vi.getTimerCount()).toBe(0);
    setHidden(false);
  });

  it('aborts the request in flight when the page is left', async () => {
    setHidden(false);
    let signal: AbortSignal | undefined;
    const { unmount } = render(<Poller poll={(s) => ((signal = s), new Promise(() => {}))} />);
    await act(async () => {});
    expect(signal?.aborted).toBe(false);
    unmount();
    expect(signal?.aborted).toBe(true);
  });
});
