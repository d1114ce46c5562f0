import { useEffect, useRef } from 'react';
import { decode } from 'blurhash';

/** Decoded this small and stretched by CSS: the hash holds a few colours, not detail. */
const SIDE = 32;

/**
 * The blurred colours of an image, painted where the image will be until it loads, so
 * the reader sees its shape at once and nothing moves when it arrives.
 */
export function BlurhashCanvas({ hash, hidden = false }: { hash: string; hidden?: boolean }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    // No 2D context (an old browser, or a test's DOM): the neutral background shows instead.
    if (!ctx) return;
    try {
      const image = ctx.createImageData(SIDE, SIDE);
      image.data.set(decode(hash, SIDE, SIDE));
      ctx.putImageData(image, 0, 0);
    } catch {
      // A malformed hash only loses the placeholder.
    }
  }, [hash]);
  return <canvas ref={ref} width={SIDE} height={SIDE} className={`media-blurhash${hidden ? ' loaded' : ''}`} aria-hidden="true" />;
}
