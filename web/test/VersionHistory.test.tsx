import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { VersionHistory } from '../src/components/VersionHistory';
import { WordDiff } from '../src/components/WordDiff';
import { ada, json, makeTweet, mockFetch, renderWithProviders } from './helpers';

const versions = [
  { version: 1, content: 'The quick brown fox', contentHash: '1', createdAt: '2026-01-01T00:00:00Z' },
  { version: 2, content: 'The quick red fox jumps', contentHash: '2', createdAt: '2026-01-01T00:01:00Z' },
  { version: 3, content: 'A quick red fox jumps', contentHash: '3', createdAt: '2026-01-01T00:02:00Z' },
];

describe('history diff', () => {
  it('marks removed and added words', () => {
    const { container } = renderWithProviders(<WordDiff before="The quick brown fox" after="The quick red fox jumps" />);
    expect([...container.querySelectorAll('del')].map((e) => e.textContent?.trim())).toEqual(['brown']);
    expect([...container.querySelectorAll('ins')].map((e) => e.textContent?.trim())).toEqual(['red', 'jumps']);
    expect(container.textContent?.replace(/\s+/g, ' ')).toContain('The quick');
  });

  it('lists every version newest first, each diffed against the one before', async () => {
    mockFetch(() => json(200, { items: versions }));
    const tweet = makeTweet({ content: versions[2]!.content, version: 3, state: 'edited' });
    const { container } = renderWithProviders(<VersionHistory tweet={tweet} canRestore />, { user: ada });
    await screen.findByText('Version 3');

    const items = [...container.querySelectorAll('li.version')];
    expect(items.map((li) => li.getAttribute('data-version'))).toEqual(['3', '2', '1']);
    const [v3, v2, v1] = items;
    expect([...v3!.querySelectorAll('del')].map((e) => e.textContent?.trim())).toEqual(['The']);
    expect([...v3!.querySelectorAll('ins')].map((e) => e.textContent?.trim())).toEqual(['A']);
    expect([...v2!.querySelectorAll('del')].map((e) => e.textContent?.trim())).toEqual(['brown']);
    expect(v1!.querySelectorAll('ins, del')).toHaveLength(0);
    expect(v1!.textContent).toContain('The quick brown fox');
    expect(v3!.textContent).toContain('Current');
    expect(v3!.querySelector('button')).toBeNull(); // the current version is not restorable
  });

  it('restores an older version after confirmation', async () => {
    const calls = mockFetch((c) =>
      c.method === 'POST' ? json(200, makeTweet({ content: versions[0]!.content, version: 4, state: 'edited' })) : json(200, { items: versions }),
    );
    const tweet = makeTweet({ content: versions[2]!.content, version: 3, state: 'edited' });
    const { container } = renderWithProviders(<VersionHistory tweet={tweet} canRestore />, { user: ada });
    await screen.findByText('Version 1');
    const v1 = container.querySelector('li[data-version="1"]')!;
    fireEvent.click(v1.querySelector('button')!);
    expect(screen.getByRole('alertdialog').textContent).toMatch(/restore version 1/i);
    fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Restore' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
    expect(calls.find((c) => c.method === 'POST')).toMatchObject({ url: '/api/tweets/7000/restore', body: { version: 1 } });
  });
});
