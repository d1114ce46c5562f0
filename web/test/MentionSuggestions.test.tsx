import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ComposeBox } from '../src/components/ComposeBox';
import { mentionAt } from '../src/components/MentionSuggestions';
import { ada, apiError, json, mockFetch, renderWithProviders } from './helpers';

describe('mentionAt', () => {
  it('finds the @name before the caret, not an email address or a finished word', () => {
    expect(mentionAt('hi @bo', 6)).toEqual({ start: 3, prefix: 'bo' });
    expect(mentionAt('@bo', 3)).toEqual({ start: 0, prefix: 'bo' });
    expect(mentionAt('mail a@bo', 9)).toBeNull();
    expect(mentionAt('hi @bob there', 13)).toBeNull();
    expect(mentionAt('hi @', 4)).toBeNull();
  });
});

describe('@ completion in the compose box', () => {
  it('lists matching users, moves with the arrow keys and inserts the chosen one with Enter', async () => {
    const calls = mockFetch((call) => {
      if (call.url.startsWith('/api/users?prefix=')) {
        return json(200, {
          items: [
            { id: '200', username: 'bob', displayName: 'Bob' },
            { id: '300', username: 'bobby', displayName: 'Bobby' },
          ],
        });
      }
      return apiError(404, 'not_found', 'no route in test');
    });
    renderWithProviders(<ComposeBox user={ada} />, { user: ada });
    const box = screen.getByRole('textbox', { name: /what’s happening/i }) as HTMLTextAreaElement;
    fireEvent.change(box, { target: { value: 'Hi @bo' } });
    const list = await screen.findByRole('listbox', { name: 'Mention suggestions' });
    expect(calls.some((c) => c.url === '/api/users?prefix=bo')).toBe(true);
    const options = within(list).getAllByRole('option');
    expect(options.map((o) => o.getAttribute('aria-selected'))).toEqual(['true', 'false']);
    expect(box.getAttribute('aria-activedescendant')).toBe(options[0]!.id);
    expect(box.getAttribute('aria-controls')).toBe(list.id);

    fireEvent.keyDown(box, { key: 'ArrowDown' });
    expect(within(list).getAllByRole('option').map((o) => o.getAttribute('aria-selected'))).toEqual(['false', 'true']);
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(box.value).toBe('Hi @bobby ');
    await waitFor(() => expect(screen.queryByRole('listbox')).toBeNull());
    expect(box.getAttribute('aria-activedescendant')).toBeNull();
  });

  it('closes on Escape without changing the text', async () => {
    mockFetch((call) =>
      call.url.startsWith('/api/users?prefix=')
        ? json(200, { items: [{ id: '200', username: 'bob', displayName: 'Bob' }] })
        : apiError(404, 'not_found', 'no route in test'),
    );
    renderWithProviders(<ComposeBox user={ada} />, { user: ada });
    const box = screen.getByRole('textbox', { name: /what’s happening/i }) as HTMLTextAreaElement;
    fireEvent.change(box, { target: { value: '@b' } });
    await screen.findByRole('listbox');
    fireEvent.keyDown(box, { key: 'Escape' });
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(box.value).toBe('@b');
  });
});
