// Modal confirmation that requires a reason (and the control token when none was entered) before a control action.
import { useState, type FormEvent } from "react";

export interface ConfirmDialogProps {
  title: string;
  message: string;
  confirmLabel: string;
  danger?: boolean;
  needsControlToken: boolean;
  busy?: boolean;
  error?: string | null;
  onConfirm: (reason: string, controlToken: string | null) => void;
  onCancel: () => void;
}

export function ConfirmDialog(props: ConfirmDialogProps) {
  const [reason, setReason] = useState("");
  const [token, setToken] = useState("");
  const ready = reason.trim().length > 0 && (!props.needsControlToken || token.trim().length > 0);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!ready || props.busy) return;
    props.onConfirm(reason.trim(), props.needsControlToken ? token.trim() : null);
  }

  return (
    <div className="modal-backdrop" role="presentation">
      <form
        className="modal card"
        role="dialog"
        aria-modal="true"
        aria-labelledby="confirm-title"
        onSubmit={submit}
        data-testid="confirm-dialog"
      >
        <h2 id="confirm-title">{props.title}</h2>
        <p>{props.message}</p>
        {props.needsControlToken && (
          <label className="field">
            <span>Control token (API_CONTROL_TOKEN) — none was entered at login</span>
            <input
              type="password"
              value={token}
              onChange={(e) => setToken(e.target.value)}
              data-testid="confirm-control-token-input"
              autoComplete="off"
            />
          </label>
        )}
        <label className="field">
          <span>Reason (required, stored with the change)</span>
          <input
            type="text"
            value={reason}
            maxLength={500}
            onChange={(e) => setReason(e.target.value)}
            data-testid="confirm-reason-input"
            autoFocus
          />
        </label>
        {props.error && (
          <div className="error-box" role="alert" data-testid="confirm-error">
            {props.error}
          </div>
        )}
        <div className="modal-actions">
          <button type="button" className="btn" onClick={props.onCancel} data-testid="confirm-cancel">
            Cancel
          </button>
          <button
            type="submit"
            className={`btn ${props.danger ? "btn-danger" : "btn-primary"}`}
            disabled={!ready || props.busy}
            data-testid="confirm-button"
          >
            {props.busy ? "Sending…" : props.confirmLabel}
          </button>
        </div>
      </form>
    </div>
  );
}
