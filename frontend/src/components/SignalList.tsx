// Signals of one game (newest first): kind, strategy, edge, decision and reason, as a compact table.
import type { ChartSignal } from "../charts/gameSeries";
import { formatPrice, formatProbability, formatTime } from "../format/format";
import { Badge } from "./Status";

export const DECISION_TONE: Record<string, string> = { approved: "good", denied: "bad", mixed: "warn" };

export function SignalList({ signals }: { signals: ChartSignal[] }) {
  const rows = [...signals].sort((a, b) => b.ts.localeCompare(a.ts));
  return (
    <section className="card">
      <h2>Signals</h2>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th>At</th>
              <th>Kind</th>
              <th>Strategy</th>
              <th className="num">Edge</th>
              <th className="num">Model</th>
              <th>Decision</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <tr>
                <td colSpan={6} className="muted">
                  No signals.
                </td>
              </tr>
            )}
            {rows.map((s) => (
              <tr key={s.signal_id} data-testid="game-signal-row">
                <td>{formatTime(s.ts)}</td>
                <td>{s.kind}</td>
                <td>{s.strategy}</td>
                <td className="num">{formatPrice(s.edge_per_contract)}</td>
                <td className="num">{formatProbability(s.model_probability)}</td>
                <td>
                  {s.decision ? <Badge tone={DECISION_TONE[s.decision] ?? "muted"}>{s.decision}</Badge> : "—"}
                  {s.reason_code && <span className="muted small"> {s.reason_code}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
