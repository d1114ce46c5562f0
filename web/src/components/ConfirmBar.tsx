import { useEffect, useId, useRef } from 'react';

/**
 * An inline confirmation ("Delete this tweet? Delete / Cancel") that takes focus
 * when it opens and closes on Escape, so destructive actions need a second, deliberate step.
 * Focus goes to the safe choice, Cancel: a reader who presses Enter or Space twice does not
 * destroy anything by accident.
 */
export function ConfirmBar({
  message,
  confirmLabel,
  onConfirm,
  onCancel,
  busy = false,
  danger = false,
}: {
  message: string;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  busy?: boolean;
  danger?: boolean;
}) {
  const id = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => cancelRef.current?.focus(), []);
  return (
    <div
      role="alertdialog"
      aria-labelledby={id}
      className="confirm-bar"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onCancel();
        }
      }}
    >
      <span id={id}>{message}</span>
      <button type="button" className={danger ? 'danger' : 'primary'} onClick={onConfirm} disabled={busy}>
        {busy ? 'Working…' : confirmLabel}
      </button>
      <button ref={cancelRef} type="button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
