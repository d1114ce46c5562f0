import { useId, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { SHORTCUTS, useShortcuts } from '../hooks/useShortcuts';
import { useSession } from '../session';
import { useModal } from '../hooks/useModal';

/** The app's keyboard shortcuts, and their list on "?" (mounted once, in the app's shell). */
export function KeyboardShortcuts() {
  const { user } = useSession();
  const [open, setOpen] = useState(false);
  useShortcuts({ onHelp: () => setOpen(true), signedIn: !!user });
  return open ? <ShortcutsDialog onClose={() => setOpen(false)} /> : null;
}

/**
 * The list of keyboard shortcuts, as a modal dialog: it takes focus (on Close), keeps it inside,
 * closes on Escape or Close, and gives focus back to what had it before.
 */
export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  const titleId = useId();
  const dialog = useRef<HTMLDivElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);

  const onKeyDown = useModal(dialog, closeButton, onClose);

  return createPortal(
    <div
      className="dialog-backdrop"
      onClick={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div ref={dialog} className="dialog" role="dialog" aria-modal="true" aria-labelledby={titleId} onKeyDown={onKeyDown}>
        <div className="dialog-bar">
          <h2 id={titleId}>Keyboard shortcuts</h2>
          <button ref={closeButton} type="button" onClick={onClose}>
            Close
          </button>
        </div>
        <dl className="shortcut-list">
          {SHORTCUTS.map((s) => (
            <div key={s.keys}>
              <dt>
                <kbd>{s.keys}</kbd>
              </dt>
              <dd>{s.what}</dd>
            </div>
          ))}
        </dl>
        <p className="hint">Shortcuts do nothing while you type in a field.</p>
      </div>
    </div>,
    document.body,
  );
}
