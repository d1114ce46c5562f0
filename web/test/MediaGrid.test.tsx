import { fireEvent, screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { EmbeddedTweet } from '../src/components/EmbeddedTweet';
import { VersionHistory } from '../src/components/VersionHistory';
import { ada, json, makeTweet, mockFetch, renderTweet, renderWithProviders } from './helpers';
import { imageMedia, tweetWithImages, videoMedia, withMedia } from './mediaHelpers';

const grid = () => document.querySelector('.media-grid') as HTMLElement;
const cells = () => [...document.querySelectorAll('.media-cell')];

beforeEach(() => {
  // jsdom draws nothing; a test that wants the placeholder painted gives a context of its own.
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
});

describe('images in a tweet', () => {
  it.each([
    [1, 'media-grid-1'],
    [2, 'media-grid-2'],
    [3, 'media-grid-3'],
    [4, 'media-grid-4'],
  ])('lays out %i image(s) as %s', (n, layout) => {
    renderTweet(tweetWithImages(n), { user: ada });
    expect(grid().classList.contains(layout)).toBe(true);
    expect(cells()).toHaveLength(n);
    // One image keeps its own shape (2000×1000 here); a grid is a fixed 16:9 box.
    expect(grid().style.aspectRatio).toBe(n === 1 ? '2' : '');
  });

  it('clamps a single image’s box to between 3:4 and 3:1', () => {
    renderTweet(withMedia(makeTweet(), [imageMedia('tall', { width: 500, height: 2000 })]), { user: ada });
    expect(grid().style.aspectRatio).toBe('0.75');
  });

  it('serves WebP and the original format at sizes for the column, lazily, described by its alt text', () => {
    renderTweet(tweetWithImages(2), { user: ada });
    const picture = cells()[0]!.querySelector('picture')!;
    const source = picture.querySelector('source')!;
    expect(source.getAttribute('type')).toBe('image/webp');
    expect(source.getAttribute('srcset')).toContain('/media/m1/w680.webp 680w');
    const img = picture.querySelector('img')!;
    expect(img.getAttribute('srcset')).toContain('/media/m1/w1200.jpg 1200w');
    expect(img.getAttribute('srcset')).toContain('/media/m1/full.jpg 2000w');
    expect(img.getAttribute('sizes')).toMatch(/px/);
    expect(img.getAttribute('loading')).toBe('lazy');
    expect(img.getAttribute('alt')).toBe('Picture 1');
    expect(img.getAttribute('width')).toBe('2000');
  });

  it('paints the blurhash behind an image until it loads', () => {
    const ctx = { createImageData: (w: number, h: number) => ({ data: new Uint8ClampedArray(w * h * 4) }), putImageData: vi.fn() };
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(ctx as unknown as CanvasRenderingContext2D);
    renderTweet(tweetWithImages(1), { user: ada });
    const canvas = cells()[0]!.querySelector('canvas.media-blurhash')!;
    expect(ctx.putImageData).toHaveBeenCalledTimes(1);
    expect(canvas.classList.contains('loaded')).toBe(false);
    fireEvent.load(cells()[0]!.querySelector('img')!);
    expect(canvas.classList.contains('loaded')).toBe(true);
  });

  it('shows the description behind the ALT badge on a click', () => {
    renderTweet(tweetWithImages(1, {}, () => 'A red kite over a field'), { user: ada });
    const badge = screen.getByRole('button', { name: 'ALT' });
    const description = document.getElementById(badge.getAttribute('aria-controls')!)!;
    expect(description.hidden).toBe(true);
    fireEvent.click(badge);
    expect(badge.getAttribute('aria-expanded')).toBe('true');
    expect(description.hidden).toBe(false);
    expect(description.textContent).toBe('A red kite over a field');
  });

  it('names an undescribed image’s button by what it does, and shows no ALT badge', () => {
    renderTweet(tweetWithImages(2, {}, () => ''), { user: ada });
    expect(screen.getByRole('button', { name: 'Open image 2 of 2' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'ALT' })).toBeNull();
  });
});

describe('the lightbox', () => {
  it('opens on the clicked image with focus inside, moves with the arrow keys, closes on Escape and gives focus back', async () => {
    renderTweet(tweetWithImages(3), { user: ada });
    const opener = screen.getByRole('button', { name: 'Picture 2' });
    opener.focus();
    fireEvent.click(opener);

    // Loaded on first use.
    const dialog = await screen.findByRole('dialog');
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(dialog.contains(document.activeElement)).toBe(true);
    expect(within(dialog).getByRole('heading').textContent).toBe('Image 2 of 3');
    expect(within(dialog).getByRole('img').getAttribute('src')).toBe('/media/m2/w1200.jpg');
    expect(dialog.querySelector('figcaption')!.textContent).toBe('Picture 2');

    fireEvent.keyDown(document.activeElement!, { key: 'ArrowRight' });
    expect(within(dialog).getByRole('heading').textContent).toBe('Image 3 of 3');
    expect(within(dialog).getByRole('img').getAttribute('alt')).toBe('Picture 3');
    // The last image: no further.
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowRight' });
    expect(within(dialog).getByRole('heading').textContent).toBe('Image 3 of 3');
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowLeft' });
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowLeft' });
    expect(within(dialog).getByRole('heading').textContent).toBe('Image 1 of 3');

    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it('keeps Tab inside the dialog and closes with its Close button', async () => {
    renderTweet(tweetWithImages(2), { user: ada });
    const opener = screen.getByRole('button', { name: 'Picture 1' });
    opener.focus();
    fireEvent.click(opener);
    const dialog = await screen.findByRole('dialog');
    const close = within(dialog).getByRole('button', { name: 'Close' });
    expect(document.activeElement).toBe(close);
    const next = within(dialog).getByRole('button', { name: 'Next image' });
    next.focus();
    fireEvent.keyDown(next, { key: 'Tab' });
    expect(document.activeElement).toBe(close);
    fireEvent.keyDown(close, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(next);

    fireEvent.click(next);
    expect(within(dialog).getByRole('heading').textContent).toBe('Image 2 of 2');
    fireEvent.click(close);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });
});

describe('video and GIF', () => {
  it('plays a video with controls, its poster and metadata only until asked', () => {
    renderTweet(withMedia(makeTweet(), [videoMedia('v1', { altText: 'A cat jumps' })]), { user: ada });
    const video = document.querySelector('video')!;
    expect(video.controls).toBe(true);
    expect(video.getAttribute('preload')).toBe('metadata');
    expect(video.getAttribute('poster')).toBe('/media/v1/poster.jpg');
    expect(video.getAttribute('src')).toBe('/media/v1/video.mp4');
    expect(video.hasAttribute('playsinline')).toBe(true);
    expect(video.getAttribute('aria-label')).toBe('A cat jumps');
    expect(grid().style.aspectRatio).toBe(String(1280 / 720));
  });

  it('loops a GIF muted by itself, marked GIF, with a way to pause it', () => {
    renderTweet(withMedia(makeTweet(), [videoMedia('g1', { type: 'gif' })]), { user: ada });
    const video = document.querySelector('video')!;
    expect(video.autoplay).toBe(true);
    expect(video.loop).toBe(true);
    expect(video.muted).toBe(true);
    expect(video.controls).toBe(false);
    expect(cells()[0]!.querySelector('.gif-badge')!.textContent).toBe('GIF');
    expect(screen.getByRole('button', { name: 'Pause GIF' })).toBeTruthy();
  });

  it('says in words when a media is still processing or failed', () => {
    renderTweet(
      withMedia(makeTweet(), [
        videoMedia('v1', { state: 'processing', url: null }),
        videoMedia('v2', { state: 'failed', url: null, error: 'The video is longer than 2 minutes 20 seconds.' }),
      ]),
      { user: ada },
    );
    expect(screen.getByRole('status').textContent).toBe('Processing the video…');
    expect(screen.getByText(/This video could not be processed\./).textContent).toContain('longer than 2 minutes');
    expect(document.querySelector('video')).toBeNull();
  });
});

describe('media wherever a tweet is shown', () => {
  it('shows a tweet of media alone without an empty text', () => {
    renderTweet(tweetWithImages(1, { content: '', entities: { hashtags: [], mentions: [], urls: [], cashtags: [] } }), { user: ada });
    expect(document.querySelector('.tweet-text')).toBeNull();
    expect(grid()).not.toBeNull();
  });

  it('shows a quoted tweet’s media', () => {
    renderWithProviders(<EmbeddedTweet tweet={tweetWithImages(2)} />);
    expect(document.querySelector('.embedded .media-grid-2')).not.toBeNull();
  });

  it('shows each version’s media in the history, and says when they changed', async () => {
    const v1 = withMedia({ version: 1, content: 'Look', contentHash: '1', createdAt: '2026-01-01T00:00:00Z' }, [imageMedia('m1')]);
    const v2 = withMedia({ version: 2, content: 'Look!', contentHash: '2', createdAt: '2026-01-01T00:01:00Z' }, [imageMedia('m1'), imageMedia('m2')]);
    mockFetch(() => json(200, { items: [v1, v2] }));
    const { container } = renderWithProviders(<VersionHistory tweet={makeTweet({ version: 2, state: 'edited' })} canRestore={false} />, { user: ada });
    await screen.findByText('Version 2');
    const [newest, oldest] = [...container.querySelectorAll('li.version')];
    expect(newest!.querySelector('.media-grid-2')).not.toBeNull();
    expect(newest!.textContent).toContain('Media changed');
    expect(oldest!.querySelector('.media-grid-1')).not.toBeNull();
  });
});
