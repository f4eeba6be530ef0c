// Positions table: quantity, prices and P&L (realized, unrealized, fees, net), settlement when settled.
import type { PositionOut } from "../api/types";
import { formatDateTime, formatPrice, formatQuantity } from "../format/format";
import { Badge, Money, Instrument } from "../components/Status";

export const positionKey = (p: Pick<PositionOut, "venue" | "market_id" | "outcome_id" | "paper">) =>
  `${p.venue}|${p.market_id}|${p.outcome_id}|${p.paper ? "paper" : "live"}`;

const STATUS_TONE: Record<string, string> = { open: "live", closed: "muted", settled: "done" };

export function PositionsTable({ positions, isNew }: { positions: PositionOut[]; isNew: (key: string) => boolean }) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid="positions-table">
        <thead>
          <tr>
            <th>Status</th>
            <th>Venue</th>
            <th>Game</th>
            <th>Market / outcome</th>
            <th className="num">Qty</th>
            <th className="num">Avg</th>
            <th className="num">Mark</th>
            <th className="num">Cost</th>
            <th className="num">Realized</th>
            <th className="num">Unrealized</th>
            <th className="num">Fees</th>
            <th className="num">Net</th>
            <th>Settlement</th>
            <th>Updated</th>
          </tr>
        </thead>
        <tbody>
          {positions.length === 0 && (
            <tr>
              <td colSpan={14} className="muted">
                No positions.
              </td>
            </tr>
          )}
          {positions.map((p) => {
            const key = positionKey(p);
            const fresh = isNew(key);
            return (
              <tr key={key} className={fresh ? "row-new" : ""} data-testid="position-row" data-new={fresh || undefined} data-status={p.status}>
                <td>
                  <Badge tone={STATUS_TONE[p.status] ?? "muted"}>{p.status}</Badge>
                  {!p.paper && <Badge tone="bad">LIVE</Badge>}
                </td>
                <td className="cap">{p.venue}</td>
                <td className="mono">{p.game_id}</td>
                <td>
                  <Instrument market={p.market_id} outcome={p.outcome_id} />
                </td>
                <td className="num">{formatQuantity(p.quantity)}</td>
                <td className="num">{formatPrice(p.avg_price)}</td>
                <td className="num">{formatPrice(p.mark_price)}</td>
                <td className="num">
                  <Money value={p.cost_basis} />
                </td>
                <td className="num">
                  <Money value={p.realized_pnl} signed />
                </td>
                <td className="num">
                  <Money value={p.unrealized_pnl} signed />
                </td>
                <td className="num">
                  <Money value={p.fees_paid} />
                </td>
                <td className="num strong">
                  <Money value={p.net_pnl} signed />
                </td>
                <td>
                  {p.settlement ? (
                    <span className="small">
                      payout <Money value={p.settlement.payout} />, P&amp;L <Money value={p.settlement.pnl} signed />
                      <div className="muted">{formatDateTime(p.settlement.settled_at)}</div>
                    </span>
                  ) : (
                    "—"
                  )}
                </td>
                <td>{formatDateTime(p.updated_at)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
