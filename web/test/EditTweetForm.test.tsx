import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ada, apiError, json, makeTweet, mockFetch, renderTweet } from './helpers';

function startEditing() {
  fireEvent.click(screen.getByRole('button', { name: 'Edit' }));
  return screen.getByRole('textbox', { name: 'Tweet text' });
}

describe('edit in place', () => {
  it('saves with expectedVersion and shows the edited marker', async () => {
    const calls = mockFetch((c) =>
      c.method === 'PUT' ? json(200, makeTweet({ content: 'Hello there', version: 2, state: 'edited', entities: { hashtags: [], mentions: [], urls: [], cashtags: [] } })) : json(404, {}),
    );
    renderTweet(makeTweet({ version: 1 }), { user: ada });
    fireEvent.change(startEditing(), { target: { value: 'Hello there' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(document.querySelector('.tweet-text')?.textContent).toBe('Hello there'));
    expect(calls[0]).toMatchObject({ method: 'PUT', url: '/api/tweets/7000', body: { content: 'Hello there', expectedVersion: 1 } });
    expect((await screen.findByRole('link', { name: 'Edited' })).getAttribute('href')).toBe('/tweets/7000/history');
    expect(screen.queryByRole('textbox')).toBeNull();
  });

  it('reports a conflicting edit from elsewhere instead of overwriting it, and keeps the reader’s text', async () => {
    const latest = makeTweet({ content: 'Changed in another tab', version: 3, state: 'edited' });
    let puts = 0;
    const calls = mockFetch((c) => {
      if (c.method === 'PUT') return ++puts === 1 ? apiError(409, 'version_conflict', 'expected version 1 but the current version is 3') : json(200, { ...latest, content: 'My version', version: 4 });
      if (c.method === 'GET' && c.url === '/api/tweets/7000') return json(200, latest);
      return json(200, { items: [] });
    });
    renderTweet(makeTweet({ version: 1 }), { user: ada });
    const box = startEditing();
    fireEvent.change(box, { target: { value: 'My version' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/changed somewhere else while you were editing/i);
    expect(alert.textContent).toContain('current version is 3');
    expect(screen.getByRole('textbox', { name: 'Tweet text' })).toHaveProperty('value', 'My version');

    fireEvent.click(screen.getByRole('button', { name: /show the latest version/i }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('It is now version 3'));
    expect(screen.getByRole('alert').textContent).toContain('Changed in another tab');

    // Saving again is a deliberate choice, now against the version the reader has seen.
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    await waitFor(() => expect(document.querySelector('.tweet-text')?.textContent).toBe('My version'));
    const lastPut = calls.filter((c) => c.method === 'PUT').at(-1)!;
    expect(lastPut.body).toEqual({ content: 'My version', expectedVersion: 3 });
  });

  it('offers no edit on someone else’s tweet', () => {
    mockFetch(() => json(404, {}));
    renderTweet(makeTweet({ author: { id: '999', username: 'eve', displayName: 'Eve' } }), { user: ada });
    expect(screen.queryByRole('button', { name: 'Edit' })).toBeNull();
  });

  it('asks before deleting', async () => {
    const calls = mockFetch(() => new Response(null, { status: 204 }));
    renderTweet(makeTweet(), { user: ada });
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    const dialog = screen.getByRole('alertdialog');
    expect(dialog.textContent).toMatch(/cannot be undone/);
    expect(calls).toHaveLength(0);
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(calls).toHaveLength(0);

    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    const confirm = screen.getAllByRole('button', { name: 'Delete' }).find((b) => b.closest('[role="alertdialog"]'))!;
    fireEvent.click(confirm);
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]).toMatchObject({ method: 'DELETE', url: '/api/tweets/7000' });
  });
});
