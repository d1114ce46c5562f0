// The phone layout's parts of the main navigation (styles.css, "Phone layout"): there the
// main nav is a tab bar at the bottom of the screen with the four places people go most
// (Home, Latest, Notifications, Profile), the others behind "More", and a round compose
// button above it, as the apps people use have. On wider screens these are hidden and the
// nav shows every link in the header.

import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { Link, useLocation } from 'react-router';

/** A disclosure: the button says whether it is open; Escape, a click elsewhere or a navigation closes it. */
export function MoreMenu({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const box = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const location = useLocation();
  useEffect(() => setOpen(false), [location.key]);
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setOpen(false);
      button.current?.focus();
    };
    const onPointer = (e: PointerEvent) => {
      if (!box.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);
  return (
    <div className="nav-more" ref={box}>
      <button ref={button} type="button" aria-expanded={open} aria-controls={id} onClick={() => setOpen((o) => !o)}>
        More
      </button>
      <div id={id} className="nav-more-menu" hidden={!open}>
        {children}
      </div>
    </div>
  );
}

/** The phone's compose button: to Home, with its compose box focused (HomePage reads the state). */
export function ComposeButton() {
  return (
    <Link to="/home" state={{ compose: true }} className="compose-fab" aria-label="New tweet">
      <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true">
        <path d="M11 5h2v6h6v2h-6v6h-2v-6H5v-2h6z" />
      </svg>
    </Link>
  );
}
