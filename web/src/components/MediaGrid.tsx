import { lazy, Suspense, useEffect, useId, useRef, useState, type CSSProperties } from 'react';
import { imageSources, posterOf, videoOf, type Media } from '../api/media';

// Opened on a click: loaded then, not with the first screen.
const Lightbox = lazy(() => import('./Lightbox').then((m) => ({ default: m.Lightbox })));
import { BlurhashCanvas } from './BlurhashCanvas';

// What each image is drawn at, for the browser to pick a file from `srcset`: the tweet
// column (640px wide, less padding and avatar), or half of it in a grid of 2 to 4.
const SIZES_FULL = '(max-width: 600px) calc(100vw - 68px), 554px';
const SIZES_HALF = '(max-width: 600px) calc(50vw - 36px), 277px';

/** A single item keeps its own shape, within these bounds (portrait 3:4 to panorama 3:1). */
const MIN_RATIO = 3 / 4;
const MAX_RATIO = 3;

const NOUN: Record<Media['type'], string> = { image: 'image', gif: 'GIF', video: 'video' };

function singleRatio(m: Media): number {
  if (!m.width || !m.height) return 16 / 9;
  return Math.min(MAX_RATIO, Math.max(MIN_RATIO, m.width / m.height));
}

function prefersReducedMotion(): boolean {
  return typeof window !== 'undefined' && !!window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
}

/**
 * A tweet's media as X lays it out: one item at its own shape; 2 side by side; 3 as one
 * tall and two stacked; 4 in a square grid. The box has its final size before any file
 * arrives, so nothing below it moves. Images open in a lightbox.
 */
export function MediaGrid({ media }: { media: readonly Media[] }) {
  const [open, setOpen] = useState<number | null>(null);
  if (media.length === 0) return null;
  const count = Math.min(media.length, 4);
  const shown = media.slice(0, 4);
  // The lightbox walks the images that can be shown, in the tweet's order.
  const viewable = shown.filter((m) => m.type === 'image' && m.state === 'ready');
  const style = count === 1 ? ({ aspectRatio: String(singleRatio(shown[0]!)) } as CSSProperties) : undefined;

  return (
    <div className={`media-grid media-grid-${count}`} style={style} data-media-count={count}>
      {shown.map((m) => (
        <div key={m.id} className="media-cell" data-media-id={m.id} data-media-type={m.type}>
          {m.state !== 'ready' ? (
            <MediaPlaceholder media={m} />
          ) : m.type === 'image' ? (
            <GridImage
              media={m}
              sizes={count === 1 ? SIZES_FULL : SIZES_HALF}
              label={`Open image ${viewable.indexOf(m) + 1} of ${viewable.length}`}
              onOpen={() => setOpen(viewable.indexOf(m))}
            />
          ) : m.type === 'gif' ? (
            <GifPlayer media={m} />
          ) : (
            <VideoPlayer media={m} />
          )}
        </div>
      ))}
      {open !== null && (
        <Suspense fallback={null}>
          <Lightbox images={viewable} index={open} onIndex={setOpen} onClose={() => setOpen(null)} />
        </Suspense>
      )}
    </div>
  );
}

function GridImage({ media, sizes, label, onOpen }: { media: Media; sizes: string; label: string; onOpen: () => void }) {
  const [loaded, setLoaded] = useState(false);
  const img = useRef<HTMLImageElement>(null);
  const sources = imageSources(media);
  // An image the browser had cached may be complete before React listens for `load`.
  useEffect(() => {
    if (img.current?.complete && img.current.naturalWidth > 0) setLoaded(true);
  }, []);
  return (
    <>
      {media.blurhash && <BlurhashCanvas hash={media.blurhash} hidden={loaded} />}
      <button
        type="button"
        className="media-open"
        // The image's description names the button; without one, say what it does.
        aria-label={media.altText ? undefined : label}
        onClick={(e) => {
          // Safari does not focus a clicked button; the lightbox gives focus back to it.
          e.currentTarget.focus();
          onOpen();
        }}
      >
        <picture>
          {sources.webp && <source type="image/webp" srcSet={sources.webp} sizes={sizes} />}
          <img
            ref={img}
            src={sources.src ?? undefined}
            srcSet={sources.fallback || undefined}
            sizes={sizes}
            alt={media.altText}
            loading="lazy"
            decoding="async"
            width={media.width ?? undefined}
            height={media.height ?? undefined}
            onLoad={() => setLoaded(true)}
          />
        </picture>
      </button>
      {media.altText && <AltBadge text={media.altText} />}
    </>
  );
}

/** "ALT", as on X: the description, for everyone, on a click. */
function AltBadge({ text }: { text: string }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <>
      <button
        type="button"
        className="media-badge alt-badge"
        aria-expanded={open}
        aria-controls={id}
        title="Image description"
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && open) {
            e.stopPropagation();
            setOpen(false);
          }
        }}
      >
        ALT
      </button>
      <p id={id} className="alt-popover" hidden={!open}>
        {text}
      </p>
    </>
  );
}

/** A GIF is an MP4 played like a picture: muted, looping, by itself, with a way to stop it. */
function GifPlayer({ media }: { media: Media }) {
  const video = useRef<HTMLVideoElement>(null);
  // Moving pictures that start by themselves are what reduced motion asks not to see.
  const [playing, setPlaying] = useState(() => !prefersReducedMotion());
  useEffect(() => {
    // React sets `muted` as a property only; browsers that read the attribute to allow autoplay need it too.
    video.current?.setAttribute('muted', '');
  }, []);
  function toggle() {
    const v = video.current;
    if (!v) return;
    if (playing) v.pause();
    else void v.play()?.catch(() => setPlaying(false));
    setPlaying(!playing);
  }
  return (
    <>
      <video
        ref={video}
        className="media-video"
        src={videoOf(media) ?? undefined}
        poster={posterOf(media) ?? undefined}
        autoPlay={playing}
        loop
        muted
        playsInline
        preload={playing ? 'auto' : 'metadata'}
        aria-label={media.altText || 'GIF'}
        width={media.width ?? undefined}
        height={media.height ?? undefined}
      />
      <span className="media-badge gif-badge" aria-hidden="true">
        GIF
      </span>
      <button type="button" className="media-badge gif-toggle" aria-pressed={!playing} onClick={toggle}>
        {playing ? 'Pause GIF' : 'Play GIF'}
      </button>
      {media.altText && <AltBadge text={media.altText} />}
    </>
  );
}

function VideoPlayer({ media }: { media: Media }) {
  return (
    <>
      <video
        className="media-video"
        src={videoOf(media) ?? undefined}
        poster={posterOf(media) ?? undefined}
        controls
        preload="metadata"
        playsInline
        aria-label={media.altText || 'Video'}
        width={media.width ?? undefined}
        height={media.height ?? undefined}
      />
      {media.altText && <AltBadge text={media.altText} />}
    </>
  );
}

function MediaPlaceholder({ media }: { media: Media }) {
  const noun = NOUN[media.type];
  if (media.state === 'processing') {
    return (
      <div className="media-placeholder" role="status">
        Processing the {noun}…
      </div>
    );
  }
  return (
    <div className="media-placeholder media-failed">
      This {noun} could not be processed.
      {media.error && <span className="media-placeholder-detail">{media.error}</span>}
    </div>
  );
}
