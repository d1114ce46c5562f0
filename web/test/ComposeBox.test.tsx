import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { TimelinePage } from '../src/pages/TimelinePage';
import { ada, apiError, deferred, json, makeTweet, mockFetch, renderWithProviders } from './helpers';

const existing = makeTweet({ id: '1', content: 'An older tweet', entities: { hashtags: [], mentions: [], urls: [], cashtags: [] } });

function textbox() {
  return screen.getByRole('textbox', { name: /what’s happening/i });
}
function type(text: string) {
  fireEvent.change(textbox(), { target: { value: text } });
}
const postButton = () => screen.getByRole('button', { name: /^post/i });
const draftButton = () => screen.getByRole('button', { name: /save draft/i });
const remaining = () => screen.getByTestId('counter-remaining').textContent;
const counterState = () => document.querySelector('.counter')?.getAttribute('data-state');

async function renderTimeline(post: (call: { body: unknown; headers: Record<string, string> }) => Response | Promise<Response>) {
  const calls = mockFetch((call) => {
    if (call.method === 'GET' && call.url.startsWith('/api/tweets')) return json(200, { items: [existing], nextCursor: null });
    if (call.method === 'POST' && call.url === '/api/tweets') return post(call);
    return apiError(404, 'not_found', 'no route in test');
  });
  renderWithProviders(<TimelinePage />, { user: ada });
  await screen.findByText('An older tweet');
  return calls;
}

describe('compose counter limits', () => {
  it('counts with Twitter weights and warns near, and blocks past, 280', async () => {
    await renderTimeline(() => json(500, {}));
    expect(postButton()).toHaveProperty('disabled', true); // empty
    type('   ');
    expect(postButton()).toHaveProperty('disabled', true); // whitespace only

    type('a'.repeat(259));
    expect(remaining()).toBe('21');
    expect(counterState()).toBe('ok');

    type('a'.repeat(260));
    expect(remaining()).toBe('20');
    expect(counterState()).toBe('warn');
    expect(postButton()).toHaveProperty('disabled', false);

    type('a'.repeat(280));
    expect(remaining()).toBe('0');
    expect(postButton()).toHaveProperty('disabled', false);

    type('a'.repeat(281));
    expect(remaining()).toBe('-1');
    expect(counterState()).toBe('over');
    expect(postButton()).toHaveProperty('disabled', true);
    expect(draftButton()).toHaveProperty('disabled', true);
    expect(screen.getByText('1 characters over the limit')).toBeTruthy();
  });

  it('counts a URL as 23, an emoji as 2 and CJK as 2', async () => {
    await renderTimeline(() => json(500, {}));
    type('https://example.com/a/very/long/path/that/is/longer/than/twenty/three');
    expect(remaining()).toBe(String(280 - 23));
    type('😀');
    expect(remaining()).toBe('278');
    type('日本');
    expect(remaining()).toBe('276');
    // 140 CJK characters weigh 280: valid; one more is over.
    type('漢'.repeat(140));
    expect(remaining()).toBe('0');
    type('漢'.repeat(141));
    expect(postButton()).toHaveProperty('disabled', true);
  });
});

describe('posting', () => {
  it('shows the tweet at once, then swaps in the server copy', async () => {
    const reply = deferred<Response>();
    const calls = await renderTimeline(() => reply.promise);
    type('Hello world');
    fireEvent.click(postButton());

    await screen.findByText('Sending…');
    const articles = screen.getAllByRole('article');
    expect(articles[0]!.textContent).toContain('Hello world');
    expect(within(articles[0]!).getByText('Sending…')).toBeTruthy();
    expect(textbox()).toHaveProperty('value', '');

    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.body).toEqual({ content: 'Hello world' });
    expect(post.headers['idempotency-key']).toMatch(/.+/);

    await act(async () => reply.resolve(json(201, makeTweet({ id: '99', content: 'Hello world', author: { ...ada } }))));
    await waitFor(() => expect(screen.queryByText('Sending…')).toBeNull());
    expect(screen.getAllByRole('article')).toHaveLength(2);
    expect(document.querySelector('[data-tweet-id="99"]')).not.toBeNull();
  });

  it('rolls the tweet back and shows the error next to the box when refused', async () => {
    const reply = deferred<Response>();
    await renderTimeline(() => reply.promise);
    type('Refused text');
    fireEvent.click(postButton());
    expect(await screen.findByText('Refused text')).toBeTruthy();

    await act(async () => reply.resolve(apiError(422, 'validation_failed', 'content must not be only whitespace', 'content')));
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', 'content must not be only whitespace');
    expect(screen.getAllByRole('article')).toHaveLength(1); // only the older tweet
    expect(textbox()).toHaveProperty('value', 'Refused text'); // nothing the reader typed is lost
    expect(textbox().getAttribute('aria-invalid')).toBe('true');
  });

  it('sends the same Idempotency-Key when the same submission is retried, a new one for new text', async () => {
    let n = 0;
    const calls = await renderTimeline(() => (++n === 1 ? apiError(503, 'overloaded', 'The server is busy, try again.') : json(201, makeTweet({ id: `5${n}`, content: 'Retry me' }))));
    type('Retry me');
    fireEvent.click(postButton());
    const retry = await screen.findByRole('button', { name: 'Retry' });
    fireEvent.click(retry);
    await waitFor(() => expect(document.querySelector('[data-tweet-id="52"]')).not.toBeNull());

    type('Another one');
    fireEvent.click(postButton());
    await waitFor(() => expect(calls.filter((c) => c.method === 'POST')).toHaveLength(3));
    const [first, second, third] = calls.filter((c) => c.method === 'POST').map((c) => c.headers['idempotency-key']);
    expect(second).toBe(first);
    expect(third).not.toBe(first);
  });

  it('ignores a double submit while the first is in flight', async () => {
    const reply = deferred<Response>();
    const calls = await renderTimeline(() => reply.promise);
    type('Only once');
    const form = screen.getByRole('form', { name: /compose/i });
    fireEvent.submit(form);
    fireEvent.submit(form);
    await act(async () => reply.resolve(json(201, makeTweet({ id: '77', content: 'Only once' }))));
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1);
  });

  it('saves a draft as a draft, without putting it in the timeline', async () => {
    const calls = await renderTimeline(({ body }) => json(201, makeTweet({ id: '8', content: (body as { content: string }).content, state: 'draft' })));
    type('Not ready yet');
    fireEvent.click(draftButton());
    expect(await screen.findByText(/saved to your drafts/i)).toBeTruthy();
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({ content: 'Not ready yet', draft: true });
    expect(screen.getAllByRole('article')).toHaveLength(1);
  });
});
