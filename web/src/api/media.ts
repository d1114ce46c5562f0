// Media attachments (docs/API.md, "Media"): the types, the calls, and the rules the
// composer applies before the server does.

import { ApiError, apiErrorFrom, parseBody, request, tokenStore } from './client';
import type { Schemas } from './types';

export type Media = Schemas['MediaDto'];
export type MediaVariant = Schemas['MediaVariantDto'];
export type MediaType = Media['type'];
export type MediaState = Media['state'];

/** A tweet's or a version's media (none in answers from before media existed). */
export function tweetMedia(t: { media?: Media[] }): Media[] {
  return t.media ?? [];
}

export const MAX_IMAGES = 4;
export const MAX_ALT_TEXT = 1500;
const MiB = 1024 * 1024;
/** The server's limits, checked first so a file that cannot pass is not sent at all. */
export const MAX_IMAGE_BYTES = 16 * MiB;
export const MAX_VIDEO_BYTES = 100 * MiB;

/** What the file picker offers; the server accepts exactly these. */
export const ACCEPTED_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'video/mp4', 'video/quicktime', 'video/webm'] as const;
export const ACCEPT_ATTRIBUTE = ACCEPTED_TYPES.join(',');
const SUPPORTED_IN_WORDS = 'JPEG, PNG, GIF, WebP, MP4, MOV or WebM';

// Some drops (and some platforms' pickers) give no MIME type; the extension decides then.
const BY_EXTENSION: Record<string, (typeof ACCEPTED_TYPES)[number]> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  mp4: 'video/mp4',
  m4v: 'video/mp4',
  mov: 'video/quicktime',
  webm: 'video/webm',
};

function contentTypeOf(file: File): string {
  if (file.type) return file.type.toLowerCase();
  const ext = file.name.split('.').pop()?.toLowerCase() ?? '';
  return BY_EXTENSION[ext] ?? '';
}

/** What a file will be, as far as the browser can tell before the server looks inside. */
export function mediaTypeOfFile(file: File): MediaType | null {
  const type = contentTypeOf(file);
  if (!(ACCEPTED_TYPES as readonly string[]).includes(type)) return null;
  if (type === 'image/gif') return 'gif';
  return type.startsWith('video/') ? 'video' : 'image';
}

/** Why a file cannot be sent at all, in words, or null when the server should see it. */
export function fileProblem(file: File): string | null {
  const type = mediaTypeOfFile(file);
  if (!type) return `“${file.name}” is not a supported file. Attach ${SUPPORTED_IN_WORDS} files.`;
  // GIFs are left to the server: the contract names no limit for them.
  if (type === 'image' && file.size > MAX_IMAGE_BYTES) return `“${file.name}” is too large: images can be up to 16 MB.`;
  if (type === 'video' && file.size > MAX_VIDEO_BYTES) return `“${file.name}” is too large: videos can be up to 100 MB.`;
  return null;
}

/**
 * The one combination rule (up to 4 images, or 1 GIF, or 1 video alone), as a sentence
 * when `types` breaks it.
 */
export function mediaSetProblem(types: readonly MediaType[]): string | null {
  const images = types.filter((t) => t === 'image').length;
  if (images < types.length && types.length > 1) {
    const what = types.includes('video') ? 'A video' : 'A GIF';
    return `${what} must be the only media in a tweet. Attach up to ${MAX_IMAGES} images, or 1 GIF, or 1 video.`;
  }
  if (images > MAX_IMAGES) return `You can attach up to ${MAX_IMAGES} images to a tweet.`;
  return null;
}

/**
 * Which of `incoming` may join `current` (in order, each kept when the set still follows
 * the rule), and the rule's sentence when any may not.
 */
export function admitMedia(current: readonly MediaType[], incoming: readonly MediaType[]): { admitted: boolean[]; problem: string | null } {
  const set = [...current];
  let problem: string | null = null;
  const admitted = incoming.map((t) => {
    const refused = mediaSetProblem([...set, t]);
    if (refused) {
      problem ??= refused;
      return false;
    }
    set.push(t);
    return true;
  });
  return { admitted, problem };
}

/** A media call's failure as a sentence about `name` (a file name), never the raw body. */
export function mediaErrorMessage(e: unknown, name?: string): string {
  const subject = name ? `“${name}”` : 'This file';
  if (!(e instanceof ApiError)) return e instanceof Error ? e.message : `${subject} could not be uploaded.`;
  switch (e.code as string) {
    case 'payload_too_large':
      return `${subject} is too large: images can be up to 16 MB and videos up to 100 MB.`;
    case 'unsupported_media_type':
      return `${subject} is not a supported file. Attach ${SUPPORTED_IN_WORDS} files.`;
    case 'invalid_media':
      // The server knows why (corrupt, too many pixels, too long) and says it.
      return `${subject} could not be used: ${e.message}`;
    case 'overloaded':
      return `The server is busy${e.retryAfterSeconds ? `; try again in ${e.retryAfterSeconds} s` : '; try again shortly'}.`;
    case 'media_attached':
      return 'The description can no longer be changed: this media is already in a posted tweet.';
    default:
      return e.message;
  }
}

/** An upload under way; `abort` cancels it and rejects `promise` with an `AbortError`. */
export interface Upload {
  promise: Promise<Media>;
  abort: () => void;
}

/**
 * `POST /api/media`, through XMLHttpRequest: fetch reports no upload progress, and the
 * composer shows a bar per file. Authenticated and answered like every other call.
 */
export function uploadMedia(file: File, opts: { altText?: string; onProgress?: (fraction: number) => void } = {}): Upload {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<Media>((resolve, reject) => {
    xhr.open('POST', '/api/media');
    xhr.setRequestHeader('Accept', 'application/json');
    const token = tokenStore.get();
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) opts.onProgress?.(e.loaded / e.total);
    };
    xhr.onload = () => {
      const json = parseBody(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300 && json) resolve(json as Media);
      else reject(apiErrorFrom(xhr.status, json, xhr.getResponseHeader('Retry-After')));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'Cannot reach the server. Check your connection and try again.'));
    xhr.onabort = () => reject(new DOMException('The upload was cancelled.', 'AbortError'));
    const form = new FormData();
    // No Content-Type header: the browser writes it, with the multipart boundary.
    form.append('file', file, file.name);
    if (opts.altText) form.append('altText', opts.altText);
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}

const mediaPath = (id: string) => `/api/media/${encodeURIComponent(id)}`;

export const mediaApi = {
  upload: uploadMedia,
  get: (id: string, signal?: AbortSignal) => request<Media>('GET', mediaPath(id), { signal }),
  /** Only before the media is in a posted tweet (then `409 media_attached`). */
  setAltText: (id: string, altText: string) => request<Media>('PATCH', mediaPath(id), { body: { altText } }),
};

// ---- choosing files to show ----

/** A `srcset` of the variants of one content type, narrowest first (empty when there are none). */
export function srcSet(variants: readonly MediaVariant[]): string {
  return [...variants]
    .sort((a, b) => a.width - b.width)
    .map((v) => `${v.url} ${v.width}w`)
    .join(', ');
}

export interface ImageSources {
  /** WebP variants, for a `<source type="image/webp">`. */
  webp: string;
  /** The original format's variants and the full-size file, for the `<img>` itself. */
  fallback: string;
  /** The `<img src>` for browsers without `srcset`: a middle-sized file. */
  src: string | null;
}

export function imageSources(m: Media): ImageSources {
  const webp = m.variants.filter((v) => v.contentType === 'image/webp' && v.name.startsWith('w'));
  const other = m.variants.filter((v) => v.contentType !== 'image/webp' && v.name.startsWith('w'));
  const full = m.url && m.width ? `${m.url} ${m.width}w` : '';
  const fallback = [srcSet(other), full].filter(Boolean).join(', ');
  const middle = other.find((v) => v.name === 'w680') ?? other.at(-1);
  return { webp: srcSet(webp), fallback, src: middle?.url ?? m.url ?? m.previewUrl };
}

/** The file the lightbox shows: the 1200-wide variant in the original format, or the full size (smaller than that). */
export function largeImage(m: Media): { webp: string | null; src: string | null } {
  const w1200 = (type: 'webp' | 'other') =>
    m.variants.find((v) => v.name === 'w1200' && (type === 'webp') === (v.contentType === 'image/webp'));
  return { webp: w1200('webp')?.url ?? null, src: w1200('other')?.url ?? m.url ?? m.previewUrl };
}

/** The poster frame of a GIF or video. */
export function posterOf(m: Media): string | null {
  return m.previewUrl ?? m.variants.find((v) => v.name === 'poster')?.url ?? null;
}

/** The MP4 of a GIF or video. */
export function videoOf(m: Media): string | null {
  return m.url ?? m.variants.find((v) => v.name === 'mp4')?.url ?? null;
}
