// Trading state (ACTIVE/HALTED, reason, source, since) with the HALT and RESUME buttons behind a confirmation.
import { useState } from "react";
import { useAuth } from "../auth/AuthContext";
import type { TradingState } from "../api/types";
import { errorMessage } from "../api/useApi";
import { ApiError } from "../api/errors";
import { formatDateTime } from "../format/format";
import { ConfirmDialog } from "./ConfirmDialog";

type Action = "halt" | "resume";

export function TradingPanel({ state, onChange }: { state: TradingState | null; onChange: (s: TradingState) => void }) {
  const { client, hasControl, setControlToken } = useAuth();
  const [action, setAction] = useState<Action | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const halted = state ? state.halted : true;

  async function confirm(reason: string, controlToken: string | null) {
    if (!action) return;
    setBusy(true);
    setError(null);
    if (controlToken) setControlToken(controlToken);
    try {
      const path = action === "halt" ? "/api/v1/control/halt" : "/api/v1/control/resume";
      const next = await client.post(path, { reason }, "control");
      onChange(next);
      setAction(null);
    } catch (err) {
      const refused = err instanceof ApiError && (err.status === 401 || err.status === 403);
      setError(refused ? `Control token refused: ${errorMessage(err)}` : errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  function open(next: Action) {
    setError(null);
    setAction(next);
  }

  const needs = hasControl ? "" : " (needs control token)";
  return (
    <section className="card trading-panel" aria-labelledby="trading-title">
      <h2 id="trading-title">Trading</h2>
      <div className="trading-row">
        <span
          className={`state-badge ${halted ? "state-halted" : "state-active"}`}
          data-testid="trading-state-badge"
          data-state={halted ? "HALTED" : "ACTIVE"}
        >
          {halted ? "HALTED" : "ACTIVE"}
        </span>
        <dl className="kv">
          <dt>Reason</dt>
          <dd data-testid="trading-state-reason">{state?.reason || "—"}</dd>
          <dt>Source</dt>
          <dd>{state?.source || "—"}</dd>
          <dt>Since</dt>
          <dd>{formatDateTime(state?.since)}</dd>
        </dl>
      </div>
      <div className="trading-actions">
        <button type="button" className="btn btn-halt" onClick={() => open("halt")} data-testid="halt-button">
          HALT{needs}
        </button>
        <button
          type="button"
          className="btn btn-resume"
          onClick={() => open("resume")}
          disabled={!halted}
          data-testid="resume-button"
        >
          RESUME{needs}
        </button>
      </div>
      {!hasControl && <p className="muted small">No control token was entered: the dialog will ask for it.</p>}
      {action && (
        <ConfirmDialog
          title={action === "halt" ? "Halt trading?" : "Resume trading?"}
          message={
            action === "halt"
              ? "Every service stops sending orders until trading is resumed. The halt is persisted."
              : "Services may send orders again under the risk limits."
          }
          confirmLabel={action === "halt" ? "HALT trading" : "Resume trading"}
          danger={action === "halt"}
          needsControlToken={!hasControl}
          busy={busy}
          error={error}
          onConfirm={(reason, token) => void confirm(reason, token)}
          onCancel={() => setAction(null)}
        />
      )}
    </section>
  );
}
