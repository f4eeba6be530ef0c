// Latest quote of every matched instrument of a game (venue, result it pays on, bid/ask/mid).
import type { GameSummary } from "../api/types";
import { formatPrice, formatTime } from "../format/format";

import { Instrument } from "./Status";

export function QuoteTable({ game }: { game: GameSummary }) {
  const rows = [...game.prices].sort((a, b) =>
    `${a.venue}|${a.result}|${a.market_id}`.localeCompare(`${b.venue}|${b.result}|${b.market_id}`),
  );
  return (
    <section className="card">
      <h2>Latest quotes</h2>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th>Venue</th>
              <th>Pays on</th>
              <th>Market / outcome</th>
              <th className="num">Bid</th>
              <th className="num">Ask</th>
              <th className="num">Mid</th>
              <th>At</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <tr>
                <td colSpan={7} className="muted">
                  No matched instruments.
                </td>
              </tr>
            )}
            {rows.map((p) => (
              <tr key={`${p.venue}|${p.market_id}|${p.outcome_id}`}>
                <td className="cap">{p.venue}</td>
                <td>{p.result ?? "—"}</td>
                <td>
                  <Instrument market={p.market_id} outcome={p.outcome_id} />
                </td>
                <td className="num">{formatPrice(p.best_bid)}</td>
                <td className="num">{formatPrice(p.best_ask)}</td>
                <td className="num">{formatPrice(p.mid)}</td>
                <td>{formatTime(p.ts)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
