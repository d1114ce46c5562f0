// Test helpers for media: fixtures in the API's shape and a fake XMLHttpRequest (uploads
// go through XHR for their progress, so the fake `fetch` does not see them).
import { act } from '@testing-library/react';
import { vi } from 'vitest';
import type { Media, MediaVariant } from '../src/api/media';
import type { Tweet } from '../src/api/types';
import { makeTweet } from './helpers';

const WIDTHS = [150, 360, 680, 1200];

/** A ready image with its WebP and JPEG variants below `width`. */
export function imageMedia(id: string, over: Partial<Media> = {}): Media {
  const width = over.width ?? 2000;
  const height = over.height ?? 1000;
  const variants: MediaVariant[] = WIDTHS.filter((w) => w < width).flatMap((w) => [
    { name: `w${w}`, width: w, height: Math.round((w * height) / width), contentType: 'image/webp', url: `/media/${id}/w${w}.webp` },
    { name: `w${w}`, width: w, height: Math.round((w * height) / width), contentType: 'image/jpeg', url: `/media/${id}/w${w}.jpg` },
  ]);
  return {
    id,
    type: 'image',
    state: 'ready',
    url: `/media/${id}/full.jpg`,
    previewUrl: `/media/${id}/preview.webp`,
    width,
    height,
    blurhash: 'LEHV6nWB2yk8pyo0adR*.7kCMdnj',
    altText: '',
    durationMs: null,
    variants,
    ...over,
  };
}

/** A ready video (or GIF, with `type: 'gif'`): an MP4 and its poster frame. */
export function videoMedia(id: string, over: Partial<Media> = {}): Media {
  return {
    id,
    type: 'video',
    state: 'ready',
    url: `/media/${id}/video.mp4`,
    previewUrl: `/media/${id}/poster.jpg`,
    width: 1280,
    height: 720,
    blurhash: null,
    altText: '',
    durationMs: 4000,
    variants: [
      { name: 'poster', width: 1280, height: 720, contentType: 'image/jpeg', url: `/media/${id}/poster.jpg` },
      { name: 'mp4', width: 1280, height: 720, contentType: 'video/mp4', url: `/media/${id}/video.mp4` },
    ],
    ...over,
  };
}

/** `tweet` with its `media` replaced. */
export function withMedia<T extends object>(tweet: T, media: Media[]): T {
  return Object.assign({}, tweet, { media });
}

/** A tweet with `n` ready images, described "Picture 1"… unless `alt` says otherwise. */
export function tweetWithImages(n: number, over: Partial<Tweet> = {}, alt = (i: number) => `Picture ${i + 1}`): Tweet {
  return withMedia(
    makeTweet(over),
    Array.from({ length: n }, (_, i) => imageMedia(`m${i + 1}`, { altText: alt(i) })),
  );
}

export function file(name: string, type: string, size = 1000): File {
  const f = new File(['x'.repeat(Math.min(size, 1000))], name, { type });
  if (size > 1000) Object.defineProperty(f, 'size', { value: size });
  return f;
}

type Listener = (() => void) | null;

/** Stands in for XMLHttpRequest (`installFakeXhr()`); every request made is in `FakeXhr.all`, in order. */
export class FakeXhr {
  static all: FakeXhr[] = [];
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: FormData | null = null;
  status = 0;
  responseText = '';
  aborted = false;
  done = false;
  private responseHeaders: Record<string, string> = {};
  upload: { onprogress: ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = { onprogress: null };
  onload: Listener = null;
  onerror: Listener = null;
  onabort: Listener = null;

  constructor() {
    FakeXhr.all.push(this);
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name.toLowerCase()] = value;
  }
  send(body: FormData) {
    this.body = body;
  }
  getResponseHeader(name: string): string | null {
    return this.responseHeaders[name.toLowerCase()] ?? null;
  }
  abort() {
    if (this.done) return;
    this.aborted = true;
    this.done = true;
    this.onabort?.();
  }

  /** The uploaded file (the multipart field `file`). */
  get file(): File {
    return this.body?.get('file') as File;
  }
  progress(loaded: number, total: number) {
    act(() => this.upload.onprogress?.({ lengthComputable: true, loaded, total }));
  }
  async respond(status: number, body: unknown, headers: Record<string, string> = {}) {
    await act(async () => {
      this.status = status;
      this.responseText = JSON.stringify(body);
      this.responseHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
      this.done = true;
      this.onload?.();
    });
  }
}

export function installFakeXhr() {
  FakeXhr.all = [];
  vi.stubGlobal('XMLHttpRequest', FakeXhr);
}
