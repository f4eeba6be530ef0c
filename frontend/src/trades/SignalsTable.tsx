// Signals with their legs: each leg's risk decision, then its order status and fill (signal → decision → order → fill).
import { Fragment } from "react";
import type { SignalOut } from "../api/types";
import { formatDateTime, formatPrice, formatProbability, formatQuantity } from "../format/format";
import { Badge, Instrument } from "../components/Status";
import { DECISION_TONE } from "../components/SignalList";

export function SignalsTable({ signals, isNew }: { signals: SignalOut[]; isNew: (key: string) => boolean }) {
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th>At</th>
            <th>Game</th>
            <th>Kind / strategy</th>
            <th className="num">Edge</th>
            <th className="num">Model</th>
            <th>Leg</th>
            <th>Decision</th>
            <th>Order</th>
            <th className="num">Filled</th>
          </tr>
        </thead>
        <tbody>
          {signals.length === 0 && (
            <tr>
              <td colSpan={9} className="muted">
                No signals.
              </td>
            </tr>
          )}
          {signals.map((s) => (
            <Fragment key={s.signal_id}>
              <tr className={`group-head ${isNew(s.signal_id) ? "row-new" : ""}`} data-testid="signal-row" data-new={isNew(s.signal_id) || undefined}>
                <td>{formatDateTime(s.ts)}</td>
                <td className="mono">{s.game_id}</td>
                <td>
                  {s.kind} <span className="muted small">{s.strategy}</span>
                </td>
                <td className="num">{formatPrice(s.edge_per_contract)}</td>
                <td className="num">{formatProbability(s.model_probability)}</td>
                <td colSpan={4} className="muted small">
                  {s.legs.length === 0 ? "not decided yet" : `${s.legs.length} leg${s.legs.length === 1 ? "" : "s"}`}
                </td>
              </tr>
              {s.legs.map((l) => (
                <tr key={`${s.signal_id}/${l.leg_index}`} className="leg-row" data-testid="signal-leg-row">
                  <td colSpan={5} />
                  <td>
                    {l.side} {formatQuantity(l.quantity)} <span className="cap">{l.venue}</span>{" "}
                    <Instrument market={l.market_id} outcome={l.outcome_id} /> @ {formatPrice(l.limit_price)}
                  </td>
                  <td>
                    <Badge tone={DECISION_TONE[l.decision] ?? "muted"}>{l.decision}</Badge>
                    {l.reason_code && <div className="muted small">{l.reason_code}{l.reason ? `: ${l.reason}` : ""}</div>}
                  </td>
                  <td>{l.order_status ?? "—"}</td>
                  <td className="num">
                    {l.filled_quantity ? `${formatQuantity(l.filled_quantity)} @ ${formatPrice(l.avg_fill_price)}` : "—"}
                  </td>
                </tr>
              ))}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}
