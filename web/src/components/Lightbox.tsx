import { useId, useRef, type KeyboardEvent } from 'react';
import { createPortal } from 'react-dom';
import { largeImage, type Media } from '../api/media';
import { useModal } from '../hooks/useModal';

/**
 * A tweet's images, one at a time and large, over the page: a modal dialog that takes
 * focus, keeps it inside, and gives it back to what opened it when it closes. Escape
 * closes; the arrow keys move between the images.
 */
export function Lightbox({
  images,
  index,
  onIndex,
  onClose,
}: {
  images: readonly Media[];
  index: number;
  onIndex: (index: number) => void;
  onClose: () => void;
}) {
  const titleId = useId();
  const dialog = useRef<HTMLDivElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);

  const modalKeys = useModal(dialog, closeButton, onClose, { lockScroll: true });

  const image = images[index];
  if (!image) return null;
  const large = largeImage(image);
  const hasPrevious = index > 0;
  const hasNext = index < images.length - 1;

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (e.key === 'ArrowLeft' && hasPrevious) {
      e.preventDefault();
      onIndex(index - 1);
    } else if (e.key === 'ArrowRight' && hasNext) {
      e.preventDefault();
      onIndex(index + 1);
    } else {
      modalKeys(e);
    }
  }

  const counter = images.length > 1 ? `Image ${index + 1} of ${images.length}` : 'Image';
  return createPortal(
    <div
      className="lightbox-backdrop"
      onClick={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div ref={dialog} className="lightbox" role="dialog" aria-modal="true" aria-labelledby={titleId} tabIndex={-1} onKeyDown={onKeyDown}>
        <div className="lightbox-bar">
          <h2 id={titleId} className="lightbox-title">
            {counter}
          </h2>
          <button ref={closeButton} type="button" className="lightbox-close" onClick={onClose}>
            Close
          </button>
        </div>
        <figure className="lightbox-figure">
          <picture key={image.id}>
            {large.webp && <source type="image/webp" srcSet={large.webp} />}
            <img src={large.src ?? undefined} alt={image.altText} width={image.width ?? undefined} height={image.height ?? undefined} />
          </picture>
          {image.altText && <figcaption className="lightbox-caption">{image.altText}</figcaption>}
        </figure>
        {images.length > 1 && (
          <div className="lightbox-nav">
            {/* aria-disabled, not disabled: a button that disables itself under focus would drop focus out of the dialog. */}
            <button type="button" onClick={() => hasPrevious && onIndex(index - 1)} aria-disabled={!hasPrevious} aria-label="Previous image">
              <span aria-hidden="true">←</span> Previous
            </button>
            <button type="button" onClick={() => hasNext && onIndex(index + 1)} aria-disabled={!hasNext} aria-label="Next image">
              Next <span aria-hidden="true">→</span>
            </button>
          </div>
        )}
      </div>
    </div>,
    document.body,
  );
}
