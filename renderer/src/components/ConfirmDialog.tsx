// A modal confirmation on the native <dialog>: it traps focus, closes on Escape and restores focus
// to what opened it, without any of that written by hand.
import { useEffect, useId, useRef, type ReactNode } from 'react';

export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  busy?: boolean;
  onConfirm(): void;
  onCancel(): void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const { open, onCancel } = props;

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    // Escape closes the dialog natively; keep the state in step.
    const onClose = () => {
      if (open) onCancel();
    };
    d.addEventListener('close', onClose);
    return () => d.removeEventListener('close', onClose);
  }, [open, onCancel]);

  return (
    <dialog ref={ref} className="dialog" aria-labelledby={titleId}>
      <h2 id={titleId}>{props.title}</h2>
      <div className="dialog-body">{props.children}</div>
      <div className="dialog-actions">
        {/* Cancel first and focused by default: the safe choice is the easy one. */}
        <button type="button" className="button" autoFocus onClick={props.onCancel} disabled={props.busy}>
          Cancel
        </button>
        <button type="button" className="button button-danger" onClick={props.onConfirm} disabled={props.busy}>
          {props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
