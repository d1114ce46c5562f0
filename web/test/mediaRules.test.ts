import { describe, expect, it } from 'vitest';
import { admitMedia, fileProblem, imageSources, largeImage, mediaSetProblem, mediaTypeOfFile, tweetMedia } from '../src/api/media';
import { file, imageMedia } from './mediaHelpers';

describe('the combination rule', () => {
  it('allows up to 4 images, or 1 GIF, or 1 video alone', () => {
    expect(mediaSetProblem([])).toBeNull();
    expect(mediaSetProblem(['image'])).toBeNull();
    expect(mediaSetProblem(['image', 'image', 'image', 'image'])).toBeNull();
    expect(mediaSetProblem(['gif'])).toBeNull();
    expect(mediaSetProblem(['video'])).toBeNull();

    expect(mediaSetProblem(['image', 'image', 'image', 'image', 'image'])).toBe('You can attach up to 4 images to a tweet.');
    expect(mediaSetProblem(['image', 'video'])).toMatch(/^A video must be the only media in a tweet/);
    expect(mediaSetProblem(['gif', 'image'])).toMatch(/^A GIF must be the only media in a tweet/);
    expect(mediaSetProblem(['gif', 'gif'])).toMatch(/^A GIF must be the only media/);
    expect(mediaSetProblem(['video', 'video'])).toMatch(/^A video must be the only media/);
  });

  it('admits what fits, in order, and says why the rest does not', () => {
    expect(admitMedia(['image', 'image', 'image'], ['image', 'image'])).toEqual({
      admitted: [true, false],
      problem: 'You can attach up to 4 images to a tweet.',
    });
    // A video cannot join images, but the image after it still can.
    const mixed = admitMedia(['image'], ['video', 'image']);
    expect(mixed.admitted).toEqual([false, true]);
    expect(mixed.problem).toMatch(/video must be the only media/);
    expect(admitMedia([], ['gif'])).toEqual({ admitted: [true], problem: null });
    expect(admitMedia([], ['video', 'gif']).admitted).toEqual([true, false]);
  });

  it('knows a file’s kind from its type, or its extension when the browser gives none', () => {
    expect(mediaTypeOfFile(file('a.jpg', 'image/jpeg'))).toBe('image');
    expect(mediaTypeOfFile(file('a.gif', 'image/gif'))).toBe('gif');
    expect(mediaTypeOfFile(file('a.mov', 'video/quicktime'))).toBe('video');
    expect(mediaTypeOfFile(file('clip.webm', ''))).toBe('video');
    expect(mediaTypeOfFile(file('logo.svg', 'image/svg+xml'))).toBeNull();
    expect(fileProblem(file('logo.svg', 'image/svg+xml'))).toBe('“logo.svg” is not a supported file. Attach JPEG, PNG, GIF, WebP, MP4, MOV or WebM files.');
    expect(fileProblem(file('big.png', 'image/png', 17 * 1024 * 1024))).toBe('“big.png” is too large: images can be up to 16 MB.');
    expect(fileProblem(file('long.mp4', 'video/mp4', 101 * 1024 * 1024))).toBe('“long.mp4” is too large: videos can be up to 100 MB.');
    expect(fileProblem(file('ok.mp4', 'video/mp4', 50 * 1024 * 1024))).toBeNull();
  });
});

describe('image files', () => {
  it('offers WebP and the original format by width, the full size last', () => {
    const m = imageMedia('m1', { width: 800, height: 400 });
    const s = imageSources(m);
    expect(s.webp).toBe('/media/m1/w150.webp 150w, /media/m1/w360.webp 360w, /media/m1/w680.webp 680w');
    expect(s.fallback).toBe('/media/m1/w150.jpg 150w, /media/m1/w360.jpg 360w, /media/m1/w680.jpg 680w, /media/m1/full.jpg 800w');
    expect(s.src).toBe('/media/m1/w680.jpg');
    // Smaller than 1200: the lightbox shows the full size.
    expect(largeImage(m)).toEqual({ webp: null, src: '/media/m1/full.jpg' });
    expect(largeImage(imageMedia('m2'))).toEqual({ webp: '/media/m2/w1200.webp', src: '/media/m2/w1200.jpg' });
  });

  it('reads a tweet’s media, none when the answer has no field', () => {
    expect(tweetMedia({})).toEqual([]);
    expect(tweetMedia({ media: [imageMedia('m1')] })).toHaveLength(1);
  });
});
