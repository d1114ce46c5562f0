// Where `/` leads: the home timeline when signed in, the latest tweets otherwise; old
// filter links (`/?hashtag=`) still open the filtered Latest.
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AppRoutes } from '../src/App';
import { bob, json, mockFetch, renderWithProviders } from './helpers';

function setup(user: typeof bob | null, route: string) {
  const calls = mockFetch((c) => {
    if (c.url.startsWith('/api/timelines/home')) return json(200, { items: [], nextCursor: null, partial: false });
    if (c.url.startsWith('/api/users/suggestions')) return json(200, { items: [] });
    if (c.url.startsWith('/api/tweets')) return json(200, { items: [], nextCursor: null });
    return json(404, { error: { code: 'not_found', message: 'no' } });
  });
  renderWithProviders(<AppRoutes />, { user, route });
  return calls;
}

describe('landing', () => {
  it('takes a signed-in reader to Home', async () => {
    const calls = setup(bob, '/');
    await screen.findByRole('heading', { level: 1, name: 'Home' });
    await screen.findByText('No accounts to suggest right now.');
    expect(calls.some((c) => c.url.startsWith('/api/timelines/home'))).toBe(true);
  });

  it('takes a signed-out reader to Latest, without reading a home', async () => {
    const calls = setup(null, '/');
    await screen.findByRole('heading', { level: 1, name: 'Latest' });
    expect(calls.some((c) => c.url.startsWith('/api/timelines/home'))).toBe(false);
  });

  it('sends a signed-out reader asking for Home to log in', async () => {
    setup(null, '/home');
    expect(await screen.findByRole('heading', { level: 1, name: /log in/i })).toBeTruthy();
  });

  it('opens old filter links on Latest', async () => {
    const calls = setup(bob, '/?hashtag=starling');
    await screen.findByRole('heading', { level: 1, name: '#starling' });
    expect(calls.map((c) => c.url)).toContain('/api/tweets?hashtag=starling&limit=20');
  });
});

describe('page titles', () => {
  it('name the page shown, then the site', async () => {
    setup(bob, '/home');
    await screen.findByRole('heading', { level: 1, name: 'Home' });
    expect(document.title).toBe('Home · Starling');
  });

  it('name the hashtag a Latest page is filtered by', async () => {
    setup(null, '/latest?hashtag=starling');
    await screen.findByRole('heading', { level: 1, name: '#starling' });
    expect(document.title).toBe('#starling · Starling');
  });
});
