import { useRef } from 'react';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { Link, MemoryRouter, Route, Routes } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { ConfirmBar } from '../src/components/ConfirmBar';
import { LoadMoreButton, SkipPastList } from '../src/components/ListNav';
import { actionName } from '../src/components/EngagementBar';
import { useNextPageWhenVisible } from '../src/hooks/useNextPageWhenVisible';
import { useRouteFocus } from '../src/hooks/useRouteFocus';
import { ada, makeTweet, renderTweet } from './helpers';

describe('focus management', () => {
  it('a destructive confirmation focuses Cancel, the safe choice', () => {
    render(<ConfirmBar message="Delete this tweet?" confirmLabel="Delete" danger onConfirm={() => {}} onCancel={() => {}} />);
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel' }));
  });

  it('after a navigation, focus moves to the new page’s heading (not on the first load)', () => {
    function Shell() {
      useRouteFocus('main');
      return (
        <>
          <nav>
            <Link to="/b">To B</Link>
          </nav>
          <main id="main" tabIndex={-1}>
            <Routes>
              <Route path="/" element={<h1>Page A</h1>} />
              <Route path="/b" element={<h1>Page B</h1>} />
            </Routes>
          </main>
        </>
      );
    }
    render(
      <MemoryRouter>
        <Shell />
      </MemoryRouter>,
    );
    expect(document.activeElement).toBe(document.body);
    const link = screen.getByRole('link', { name: 'To B' });
    link.focus();
    fireEvent.click(link);
    const heading = screen.getByRole('heading', { name: 'Page B' });
    expect(document.activeElement).toBe(heading);
    expect(heading.tabIndex).toBe(-1);
  });

  it('after an edit is cancelled, focus returns to the tweet’s Edit button', () => {
    renderTweet(makeTweet(), { user: ada });
    fireEvent.click(screen.getByRole('button', { name: 'Edit' }));
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Tweet text' }));
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Edit' }));
  });

  it('like and retweet are named with the number they show', () => {
    expect(actionName('Like', 3)).toBe('Like, 3 likes');
    expect(actionName('Retweet', 1)).toBe('Retweet, 1 retweet');
    renderTweet(makeTweet(), { user: ada });
    const like = screen.getByTestId('like-button');
    expect(like.getAttribute('aria-label')).toContain(like.textContent!);
  });
});

describe('the end of a long list stays reachable', () => {
  function List({ fetchNextPage, loading = false }: { fetchNextPage: () => void; loading?: boolean }) {
    const end = useRef<HTMLDivElement>(null);
    useNextPageWhenVisible(end, { hasNextPage: true, isFetchingNextPage: loading, fetchNextPage });
    return (
      <div>
        <SkipPastList end={end} />
        <article>One</article>
        <div ref={end} className="list-end" tabIndex={-1} data-testid="end">
          <LoadMoreButton loading={loading} onLoad={fetchNextPage} />
        </div>
      </div>
    );
  }

  it('“Skip past the list” moves focus to the list’s end', () => {
    render(<List fetchNextPage={() => {}} />);
    fireEvent.click(screen.getByRole('link', { name: 'Skip past the list' }));
    expect(document.activeElement).toBe(screen.getByTestId('end'));
  });

  it('“Load more” keeps focus while loading, and does nothing twice', () => {
    const fetchNextPage = vi.fn();
    const { rerender } = render(<List fetchNextPage={fetchNextPage} />);
    const button = screen.getByRole('button', { name: 'Load more' });
    button.focus();
    fireEvent.click(button);
    rerender(<List fetchNextPage={fetchNextPage} loading />);
    const busy = screen.getByRole('button', { name: 'Loading…' });
    expect(busy.getAttribute('aria-disabled')).toBe('true');
    expect(document.activeElement).toBe(busy);
    fireEvent.click(busy);
    expect(fetchNextPage).toHaveBeenCalledTimes(1);
  });

  it('scrolling near the end loads the next page, but not while focus is at the end', () => {
    let fire: (() => void) | null = null;
    vi.stubGlobal(
      'IntersectionObserver',
      class {
        constructor(cb: (entries: { isIntersecting: boolean }[]) => void) {
          fire = () => cb([{ isIntersecting: true }]);
        }
        observe() {}
        disconnect() {}
      },
    );
    const fetchNextPage = vi.fn();
    render(<List fetchNextPage={fetchNextPage} />);
    act(() => fire!());
    expect(fetchNextPage).toHaveBeenCalledTimes(1);
    screen.getByRole('button', { name: 'Load more' }).focus();
    act(() => fire!());
    expect(fetchNextPage).toHaveBeenCalledTimes(1);
  });
});
