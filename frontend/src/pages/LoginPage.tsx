// Login screen: the read token (required) and the control token (optional), verified with GET /trading-state.
import { useState, type FormEvent } from "react";
import { useAuth } from "../auth/AuthContext";
import { errorMessage } from "../api/useApi";

export function LoginPage() {
  const { login, logoutReason } = useAuth();
  const [read, setRead] = useState("");
  const [control, setControl] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!read.trim()) {
      setError("Enter the API read token");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await login(read.trim(), control.trim() || undefined);
    } catch (err) {
      setError(`Token refused: ${errorMessage(err)}`);
      setBusy(false);
    }
  }

  return (
    <div className="login-page">
      <form className="card login-card" onSubmit={submit} data-testid="login-form">
        <h1>Arbees</h1>
        <p className="muted">Enter the API token to open the dashboard. Tokens are kept for this browser session only.</p>
        {logoutReason && <div className="notice">{logoutReason}</div>}
        <label className="field">
          <span>Read token (API_TOKEN)</span>
          <input
            type="password"
            autoComplete="current-password"
            value={read}
            onChange={(e) => setRead(e.target.value)}
            data-testid="login-token-input"
            autoFocus
          />
        </label>
        <label className="field">
          <span>Control token (API_CONTROL_TOKEN, optional: for halt/resume)</span>
          <input
            type="password"
            autoComplete="off"
            value={control}
            onChange={(e) => setControl(e.target.value)}
            data-testid="login-control-token-input"
          />
        </label>
        {error && (
          <div className="error-box" role="alert" data-testid="login-error">
            {error}
          </div>
        )}
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="login-submit">
          {busy ? "Checking…" : "Log in"}
        </button>
      </form>
    </div>
  );
}
