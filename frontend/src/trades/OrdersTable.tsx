// Orders table: venue, instrument, side, limit, quantity, filled and status (live updates in place).
import type { OrderOut } from "../api/types";
import { formatDateTime, formatPrice, formatQuantity } from "../format/format";
import { Badge, Instrument } from "../components/Status";

const STATUS_TONE: Record<string, string> = { filled: "good", rejected: "bad", cancelled: "muted", partially_filled: "warn" };

export function OrdersTable({ orders, isNew }: { orders: OrderOut[]; isNew: (key: string) => boolean }) {
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th>Created</th>
            <th>Venue</th>
            <th>Game</th>
            <th>Market / outcome</th>
            <th>Side</th>
            <th className="num">Limit</th>
            <th className="num">Qty</th>
            <th className="num">Filled</th>
            <th>Status</th>
            <th>Paper</th>
          </tr>
        </thead>
        <tbody>
          {orders.length === 0 && (
            <tr>
              <td colSpan={10} className="muted">
                No orders.
              </td>
            </tr>
          )}
          {orders.map((o) => (
            <tr key={o.client_order_id} className={isNew(o.client_order_id) ? "row-new" : ""} data-testid="order-row" data-new={isNew(o.client_order_id) || undefined}>
              <td>{formatDateTime(o.created_at)}</td>
              <td className="cap">{o.venue}</td>
              <td className="mono">{o.game_id}</td>
              <td>
                <Instrument market={o.market_id} outcome={o.outcome_id} />
              </td>
              <td>{o.side}</td>
              <td className="num">{formatPrice(o.limit_price)}</td>
              <td className="num">{formatQuantity(o.quantity)}</td>
              <td className="num">
                {formatQuantity(o.filled_quantity)}
                {o.avg_fill_price && <span className="muted small"> @ {formatPrice(o.avg_fill_price)}</span>}
              </td>
              <td>
                <Badge tone={STATUS_TONE[o.status] ?? "muted"}>{o.status}</Badge>
                {o.reason && <div className="muted small">{o.reason}</div>}
              </td>
              <td>{o.paper ? "paper" : "LIVE"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
