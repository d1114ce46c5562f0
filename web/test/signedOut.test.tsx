// A session that ends without the reader asking (issue 13): a 401 on any request that
// carried the token, or a sign-out in another tab, signs the tab out at once and says
// why in words; no raw server text reaches the reader.
import { act, render, screen } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { AppRoutes } from '../src/App';
import { TOKEN_KEY } from '../src/api/client';
import { SessionProvider } from '../src/session';
import { ada, apiError, json, mockFetch } from './helpers';

function renderApp(route: string) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <SessionProvider>
        <MemoryRouter initialEntries={[route]}>
          <AppRoutes />
        </MemoryRouter>
      </SessionProvider>
    </QueryClientProvider>,
  );
}

afterEach(() => localStorage.clear());

describe('a session that ends without asking', () => {
  it('signs the tab out on a 401 and says why on the sign-in page, never the raw message', async () => {
    localStorage.setItem(TOKEN_KEY, 'old-token');
    mockFetch((c) => {
      if (c.url === '/api/me') return json(200, ada);
      if (c.url.startsWith('/api/me/tweets')) return apiError(401, 'unauthorized', 'a bearer token is required');
      return json(200, { items: [], nextCursor: null });
    });
    renderApp('/me/tweets');
    expect(await screen.findByRole('heading', { level: 1, name: /log in/i })).toBeTruthy();
    expect((await screen.findByRole('status')).textContent).toBe('Your session has ended. Sign in again to continue.');
    expect(screen.queryByText(/bearer token/)).toBeNull();
    expect(localStorage.getItem(TOKEN_KEY)).toBeNull();
  });

  it('signs out when another tab does', async () => {
    localStorage.setItem(TOKEN_KEY, 'shared-token');
    mockFetch((c) => {
      if (c.url === '/api/me') return json(200, ada);
      return json(200, { items: [], nextCursor: null });
    });
    renderApp('/me/tweets');
    await screen.findByRole('heading', { level: 1, name: /my tweets/i });
    act(() => {
      localStorage.removeItem(TOKEN_KEY);
      window.dispatchEvent(new StorageEvent('storage', { key: TOKEN_KEY, oldValue: 'shared-token', newValue: null }));
    });
    expect(await screen.findByRole('heading', { level: 1, name: /log in/i })).toBeTruthy();
    expect((await screen.findByRole('status')).textContent).toBe('You signed out in another tab. Sign in again to continue.');
  });

  it('a start without the network waits for it, instead of looking signed out', async () => {
    localStorage.setItem(TOKEN_KEY, 'tok');
    let down = true;
    mockFetch((c) => {
      if (down) return Promise.reject(new TypeError('Failed to fetch'));
      if (c.url === '/api/me') return json(200, ada);
      return json(200, { items: [], nextCursor: null });
    });
    renderApp('/me/tweets');
    expect(await screen.findByText('Loading…')).toBeTruthy();
    down = false;
    // TanStack tries again after its first delay (1 s): the reader is still signed in.
    expect(await screen.findByRole('heading', { level: 1, name: 'My tweets' }, { timeout: 3_000 })).toBeTruthy();
    expect(localStorage.getItem(TOKEN_KEY)).toBe('tok');
  });
});
