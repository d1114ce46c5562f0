import { act, fireEvent, screen } from '@testing-library/react';
import { Route, Routes, useLocation } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { KeyboardShortcuts } from '../src/components/ShortcutsDialog';
import { isTyping } from '../src/hooks/useShortcuts';
import { renderWithProviders } from './helpers';

const liked = vi.fn();
const shown = vi.fn();

function Cards() {
  return (
    <main>
      <h1>List</h1>
      <input aria-label="Search" />
      <div className="new-tweets">
        <button type="button" onClick={() => shown()}>
          Show 2 new tweets
        </button>
      </div>
      {['1', '2', '3'].map((id) => (
        <article key={id} data-tweet-id={id} tabIndex={-1} aria-label={`Tweet ${id}`}>
          <button type="button" data-testid="like-button" onClick={() => liked(id)}>
            Like
          </button>
        </article>
      ))}
    </main>
  );
}

function Where() {
  return <p data-testid="path">{useLocation().pathname}</p>;
}

function renderApp(route = '/') {
  liked.mockClear();
  shown.mockClear();
  return renderWithProviders(
    <>
      <KeyboardShortcuts />
      <Where />
      <Routes>
        <Route path="/" element={<Cards />} />
        <Route
          path="/home"
          element={
            <main>
              <form aria-label="Compose a tweet">
                <textarea aria-label="What’s happening?" />
              </form>
            </main>
          }
        />
        <Route
          path="/tweets/:id"
          element={
            <main>
              <form aria-label="Reply">
                <textarea aria-label="Post your reply" />
              </form>
            </main>
          }
        />
      </Routes>
    </>,
    { route },
  );
}

const press = (key: string, init: KeyboardEventInit = {}) => fireEvent.keyDown(document.activeElement ?? document.body, { key, ...init });
const focusedId = () => (document.activeElement as HTMLElement | null)?.dataset.tweetId;

describe('keyboard shortcuts', () => {
  it('j and k move focus between the tweet cards', () => {
    renderApp();
    press('j');
    expect(focusedId()).toBe('1');
    press('j');
    press('j');
    expect(focusedId()).toBe('3');
    press('j'); // stays on the last
    expect(focusedId()).toBe('3');
    press('k');
    expect(focusedId()).toBe('2');
  });

  it('l likes the focused tweet, and nothing without one', () => {
    renderApp();
    press('l');
    expect(liked).not.toHaveBeenCalled();
    press('j');
    press('j');
    press('l');
    expect(liked).toHaveBeenCalledWith('2');
  });

  it('never fires while typing in a field or with Ctrl, Meta or Alt held', () => {
    renderApp();
    const input = screen.getByRole('textbox', { name: 'Search' });
    input.focus();
    press('j');
    expect(document.activeElement).toBe(input);
    (document.activeElement as HTMLElement).blur();
    for (const mod of [{ ctrlKey: true }, { metaKey: true }, { altKey: true }]) {
      press('j', mod);
      expect(focusedId()).toBeUndefined();
    }
    expect(isTyping(input)).toBe(true);
    const box = document.createElement('div');
    box.contentEditable = 'true';
    Object.defineProperty(box, 'isContentEditable', { value: true });
    expect(isTyping(box)).toBe(true);
  });

  it('? opens the list of shortcuts on Close; Escape closes it and focus returns', () => {
    renderApp();
    press('j');
    press('?');
    const dialog = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Close' }));
    expect(dialog.textContent).toMatch(/Next tweet/);
    // Shortcuts are off while the dialog is open.
    press('j');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Close' }));
    press('Escape');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(focusedId()).toBe('1');
  });

  it('. shows the waiting new tweets', () => {
    renderApp();
    press('.');
    expect(shown).toHaveBeenCalledTimes(1);
  });

  it('n goes home when there is no compose box here, and focuses it', async () => {
    renderApp();
    await act(async () => {
      press('n');
    });
    expect(screen.getByTestId('path').textContent).toBe('/home');
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'What’s happening?' }));
  });

  it('n on a page with the compose box focuses it in place', () => {
    renderApp('/home');
    press('n');
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'What’s happening?' }));
  });

  it('r opens the focused tweet with its reply box focused', async () => {
    renderApp();
    press('j');
    press('j');
    await act(async () => {
      press('r');
    });
    expect(screen.getByTestId('path').textContent).toBe('/tweets/2');
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Post your reply' }));
  });
});
