import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Media } from '../src/api/media';
import { TimelinePage } from '../src/pages/TimelinePage';
import { ada, apiError, json, makeTweet, mockFetch, renderTweet, renderWithProviders, type Call } from './helpers';
import { FakeXhr, file, imageMedia, installFakeXhr, videoMedia, withMedia } from './mediaHelpers';

const existing = makeTweet({ id: '1', content: 'An older tweet', entities: { hashtags: [], mentions: [], urls: [], cashtags: [] } });

const postButton = () => screen.getByRole('button', { name: /^post/i });
const addMedia = () => screen.getByLabelText('Add media') as HTMLInputElement;
function attach(...files: File[]) {
  fireEvent.change(addMedia(), { target: { files } });
}
const uploads = () => FakeXhr.all.filter((x) => x.method === 'POST' && x.url === '/api/media');

async function renderTimeline(handler: (call: Call) => Response | Promise<Response> = () => apiError(404, 'not_found', 'no route in test')) {
  const calls = mockFetch((call) => {
    if (call.method === 'GET' && call.url.startsWith('/api/tweets')) return json(200, { items: [existing], nextCursor: null });
    return handler(call);
  });
  renderWithProviders(<TimelinePage />, { user: ada });
  await screen.findByText('An older tweet');
  return calls;
}

beforeEach(() => {
  // jsdom has no 2D canvas for the blurhash of a posted image.
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
  installFakeXhr();
  localStorage.setItem('starling.token', 'test-token');
});

describe('attaching media', () => {
  it('uploads each file at once with its own progress bar, keeps Post disabled until all are ready, and posts their ids in order', async () => {
    const calls = await renderTimeline((call) =>
      call.method === 'POST' && call.url === '/api/tweets'
        ? json(201, withMedia(makeTweet({ id: '99', content: '' }), [imageMedia('m1'), imageMedia('m2')]))
        : apiError(404, 'not_found', 'no route in test'),
    );
    expect(addMedia().accept).toBe('image/jpeg,image/png,image/gif,image/webp,video/mp4,video/quicktime,video/webm');
    expect(addMedia().multiple).toBe(true);

    attach(file('first.jpg', 'image/jpeg'), file('second.png', 'image/png'));
    const [first, second] = uploads();
    expect(uploads()).toHaveLength(2);
    expect(first!.file.name).toBe('first.jpg');
    expect(second!.file.name).toBe('second.png');
    expect(first!.headers.authorization).toBe('Bearer test-token');

    const bars = screen.getAllByRole('progressbar');
    expect(bars).toHaveLength(2);
    first!.progress(30, 100);
    expect(screen.getByRole('progressbar', { name: 'Uploading first.jpg' }).getAttribute('aria-valuenow')).toBe('30');
    expect(screen.getByRole('progressbar', { name: 'Uploading second.png' }).getAttribute('aria-valuenow')).toBe('0');
    expect(postButton()).toHaveProperty('disabled', true);

    // The second finishes first; the order stays the order of attaching.
    await second!.respond(201, imageMedia('m2'));
    expect(screen.getAllByRole('progressbar')).toHaveLength(1);
    expect(postButton()).toHaveProperty('disabled', true);
    fireEvent.change(screen.getByRole('textbox', { name: /what’s happening/i }), { target: { value: 'Still uploading' } });
    expect(postButton()).toHaveProperty('disabled', true);
    fireEvent.change(screen.getByRole('textbox', { name: /what’s happening/i }), { target: { value: '' } });

    await first!.respond(201, imageMedia('m1'));
    expect(screen.queryByRole('progressbar')).toBeNull();
    // Media alone is a tweet: empty text may be posted.
    expect(postButton()).toHaveProperty('disabled', false);

    fireEvent.click(postButton());
    await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({ content: '', mediaIds: ['m1', 'm2'] });
    await waitFor(() => expect(document.querySelector('[data-tweet-id="99"] .media-grid-2')).not.toBeNull());
    // The composer is empty again.
    expect(screen.queryByRole('list', { name: 'Attached media' })).toBeNull();
  });

  it('follows a video through processing until it is ready, then shows its poster', async () => {
    let polls = 0;
    const calls = await renderTimeline((call) => {
      if (call.method === 'GET' && call.url === '/api/media/v1') {
        polls += 1;
        return json(200, polls < 2 ? videoMedia('v1', { state: 'processing', url: null, previewUrl: null, variants: [] }) : videoMedia('v1'));
      }
      return apiError(404, 'not_found', 'no route in test');
    });
    attach(file('clip.mp4', 'video/mp4'));
    await uploads()[0]!.respond(202, videoMedia('v1', { state: 'processing', url: null, previewUrl: null, variants: [] }));

    const item = screen.getByRole('listitem', { name: 'Video 1 (clip.mp4)' });
    expect(within(item).getByRole('status').textContent).toContain('Processing…');
    expect(postButton()).toHaveProperty('disabled', true);

    await waitFor(() => expect(item.getAttribute('data-phase')).toBe('ready'), { timeout: 3000 });
    expect(polls).toBe(2);
    expect(calls.filter((c) => c.url === '/api/media/v1').every((c) => c.method === 'GET')).toBe(true);
    expect(item.querySelector('img')?.getAttribute('src')).toBe('/media/v1/poster.jpg');
    expect(postButton()).toHaveProperty('disabled', false);
  });

  it('holds to 4 images, or 1 GIF, or 1 video alone, and says so', async () => {
    await renderTimeline();
    attach(...['a', 'b', 'c', 'd', 'e'].map((n) => file(`${n}.jpg`, 'image/jpeg')));
    expect(uploads()).toHaveLength(4);
    expect(screen.getByRole('alert').textContent).toContain('You can attach up to 4 images to a tweet.');

    attach(file('clip.mp4', 'video/mp4'));
    expect(uploads()).toHaveLength(4);
    expect(screen.getByRole('alert').textContent).toContain('A video must be the only media in a tweet. Attach up to 4 images, or 1 GIF, or 1 video.');

    for (const b of screen.getAllByRole('button', { name: /^Remove/ })) fireEvent.click(b);
    expect(uploads().every((x) => x.aborted)).toBe(true);
    attach(file('funny.gif', 'image/gif'), file('e.jpg', 'image/jpeg'));
    expect(uploads()).toHaveLength(5);
    expect(uploads()[4]!.file.name).toBe('funny.gif');
    expect(screen.getByRole('alert').textContent).toContain('A GIF must be the only media in a tweet.');
  });

  it('refuses a file the browser already knows is unsupported, without sending it', async () => {
    await renderTimeline();
    attach(file('logo.svg', 'image/svg+xml'));
    expect(uploads()).toHaveLength(0);
    expect(screen.getByRole('alert').textContent).toContain('“logo.svg” is not a supported file.');
  });

  it('tells a 415 from the server in words, never as JSON', async () => {
    await renderTimeline();
    attach(file('renamed.png', 'image/png'));
    await uploads()[0]!.respond(415, { error: { code: 'unsupported_media_type', message: 'The file is not a supported image or video.' } });
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('“renamed.png” is not a supported file. Attach JPEG, PNG, GIF, WebP, MP4, MOV or WebM files.');
    expect(alert.textContent).not.toContain('{');
    expect(alert.textContent).not.toContain('unsupported_media_type');
    // The refused file leaves the tweet.
    expect(screen.queryByRole('list', { name: 'Attached media' })).toBeNull();
  });

  it('keeps a file the server was too busy for, and uploads it again on Retry', async () => {
    await renderTimeline();
    attach(file('cat.jpg', 'image/jpeg'));
    await uploads()[0]!.respond(503, { error: { code: 'overloaded', message: 'Busy.' } }, { 'Retry-After': '5' });
    expect(screen.getByText('The server is busy; try again in 5 s.')).toBeTruthy();
    expect(postButton()).toHaveProperty('disabled', true);
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(uploads()).toHaveLength(2);
    await uploads()[1]!.respond(201, imageMedia('m1'));
    expect(postButton()).toHaveProperty('disabled', false);
  });

  it('cancels an upload in flight when its file is removed', async () => {
    await renderTimeline();
    attach(file('big.mp4', 'video/mp4'));
    uploads()[0]!.progress(10, 100);
    fireEvent.click(screen.getByRole('button', { name: 'Remove Video 1 (big.mp4)' }));
    expect(uploads()[0]!.aborted).toBe(true);
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull(); // a cancel is not an error
  });

  it('attaches files dropped on the composer and images pasted into it', async () => {
    await renderTimeline();
    const form = screen.getByRole('form', { name: /compose/i });
    const dropped = file('dropped.jpg', 'image/jpeg');
    fireEvent.dragEnter(form, { dataTransfer: { types: ['Files'], files: [dropped] } });
    expect(form.className).toContain('dropping');
    fireEvent.drop(form, { dataTransfer: { types: ['Files'], files: [dropped] } });
    expect(form.className).not.toContain('dropping');
    expect(uploads().map((x) => x.file.name)).toEqual(['dropped.jpg']);

    const pasted = file('image.png', 'image/png');
    fireEvent.paste(screen.getByRole('textbox', { name: /what’s happening/i }), { clipboardData: { files: [pasted], getData: () => '' } });
    expect(uploads().map((x) => x.file.name)).toEqual(['dropped.jpg', 'image.png']);
  });
});

describe('descriptions', () => {
  it('reminds that an image has none, and saves one with PATCH', async () => {
    const calls = await renderTimeline((call) =>
      call.method === 'PATCH' && call.url === '/api/media/m1'
        ? json(200, imageMedia('m1', { altText: (call.body as { altText: string }).altText }))
        : apiError(404, 'not_found', 'no route in test'),
    );
    attach(file('cat.jpg', 'image/jpeg'));
    await uploads()[0]!.respond(201, imageMedia('m1'));
    const item = screen.getByRole('listitem', { name: 'Image 1 (cat.jpg)' });
    expect(within(item).getByText('No description')).toBeTruthy();

    fireEvent.click(within(item).getByRole('button', { name: 'Add description' }));
    const field = within(item).getByRole('textbox', { name: 'Description' }) as HTMLTextAreaElement;
    expect(field.maxLength).toBe(1500);
    fireEvent.change(field, { target: { value: 'A grey cat asleep on a keyboard' } });
    expect(within(item).getByText('31 / 1,500')).toBeTruthy();
    await act(async () => fireEvent.click(within(item).getByRole('button', { name: 'Save description' })));

    expect(calls.find((c) => c.method === 'PATCH')).toMatchObject({ url: '/api/media/m1', body: { altText: 'A grey cat asleep on a keyboard' } });
    await waitFor(() => expect(within(item).queryByText('No description')).toBeNull());
    expect(within(item).getByRole('button', { name: 'Edit description' })).toBeTruthy();
    expect(within(item).queryByRole('textbox')).toBeNull();
  });

  it('says in words why a description can no longer change', async () => {
    await renderTimeline(() => apiError(409, 'media_attached', 'media 1 is attached to a posted tweet'));
    attach(file('cat.jpg', 'image/jpeg'));
    await uploads()[0]!.respond(201, imageMedia('m1'));
    fireEvent.click(screen.getByRole('button', { name: 'Add description' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Description' }), { target: { value: 'A cat' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save description' })));
    expect((await screen.findByRole('alert')).textContent).toBe('The description can no longer be changed: this media is already in a posted tweet.');
  });
});

describe('editing a tweet’s media', () => {
  const media: Media[] = [imageMedia('m1', { altText: 'First' }), imageMedia('m2', { altText: 'Second' })];

  it('sends the new list of ids only when it changed', async () => {
    const calls = mockFetch((c) => (c.method === 'PUT' ? json(200, withMedia(makeTweet({ version: 2, state: 'edited' }), [media[1]!])) : json(404, {})));
    renderTweet(withMedia(makeTweet(), media), { user: ada });
    fireEvent.click(screen.getByRole('button', { name: 'Edit' }));
    const form = screen.getByRole('form', { name: 'Edit tweet' });
    // Posted: the descriptions are final.
    expect(within(form).queryByRole('button', { name: /description/ })).toBeNull();
    expect(within(form).getByRole('button', { name: 'Save' })).toHaveProperty('disabled', true);

    fireEvent.click(within(form).getByRole('button', { name: 'Remove Image 1' }));
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true));
    expect(calls.find((c) => c.method === 'PUT')!.body).toEqual({ content: 'Hello #starling', expectedVersion: 1, mediaIds: ['m2'] });
  });

  it('adds an upload to a tweet being edited, and waits for it', async () => {
    installFakeXhr();
    const calls = mockFetch((c) => (c.method === 'PUT' ? json(200, makeTweet({ version: 2, state: 'edited' })) : json(404, {})));
    renderTweet(withMedia(makeTweet(), [media[0]!]), { user: ada });
    fireEvent.click(screen.getByRole('button', { name: 'Edit' }));
    attach(file('more.jpg', 'image/jpeg'));
    const save = screen.getByRole('button', { name: 'Save' });
    expect(save).toHaveProperty('disabled', true);
    await uploads()[0]!.respond(201, imageMedia('m9'));
    expect(save).toHaveProperty('disabled', false);
    fireEvent.click(save);
    await waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true));
    expect(calls.find((c) => c.method === 'PUT')!.body).toMatchObject({ mediaIds: ['m1', 'm9'] });
  });
});
