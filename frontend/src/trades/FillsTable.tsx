// Fills table: time, venue, instrument, side, price, quantity, fee, liquidity; new live fills are highlighted.
import type { FillOut } from "../api/types";
import { formatDateTime, formatMoney, formatPrice, formatQuantity } from "../format/format";
import { fillKey } from "./filters";
import { Instrument } from "../components/Status";

export function FillsTable({ fills, isNew }: { fills: FillOut[]; isNew: (key: string) => boolean }) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid="fills-table">
        <thead>
          <tr>
            <th>At</th>
            <th>Venue</th>
            <th>Game</th>
            <th>Market / outcome</th>
            <th>Side</th>
            <th className="num">Price</th>
            <th className="num">Qty</th>
            <th className="num">Fee</th>
            <th>Liquidity</th>
            <th>Order</th>
          </tr>
        </thead>
        <tbody>
          {fills.length === 0 && (
            <tr>
              <td colSpan={10} className="muted">
                No fills.
              </td>
            </tr>
          )}
          {fills.map((f) => {
            const key = fillKey(f);
            const fresh = isNew(key);
            return (
              <tr key={key} className={fresh ? "row-new" : ""} data-testid="fill-row" data-new={fresh || undefined}>
                <td>{formatDateTime(f.ts)}</td>
                <td className="cap">{f.venue}</td>
                <td className="mono">{f.game_id}</td>
                <td>
                  <Instrument market={f.market_id} outcome={f.outcome_id} />
                </td>
                <td>{f.side}</td>
                <td className="num">{formatPrice(f.price)}</td>
                <td className="num">{formatQuantity(f.quantity)}</td>
                <td className="num">{formatMoney(f.fee)}</td>
                <td>{f.liquidity}</td>
                <td className="mono small">{f.client_order_id}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
