// One game's markets: per venue which market matched (orientation: home outcome, instruments) and refusals with reasons.
import type { MatchOut } from "../api/types";
import { Badge, shortId } from "../components/Status";
import { formatDateTime, formatProbability } from "../format/format";
import { describeInstrument, readInstrument } from "./instruments";

function MatchRow({ match }: { match: MatchOut }) {
  const matched = match.status === "matched";
  return (
    <tr data-testid="match-row" data-status={match.status}>
      <td className="cap">{match.venue}</td>
      <td className="wrap">
        <div className="mono" title={match.market_id}>{shortId(match.market_id, 40)}</div>
        <div className="muted small">{match.title}</div>
      </td>
      <td>
        <Badge tone={matched ? "good" : "bad"}>{match.status}</Badge>
        <div className="muted small">confidence {formatProbability(match.confidence, 0)}</div>
      </td>
      <td>{match.home_outcome ?? "—"}</td>
      <td>
        {match.instruments.length === 0 ? (
          "—"
        ) : (
          <ul className="plain">
            {match.instruments.map((raw, i) => (
              <li key={i} className="mono small">
                <span title={readInstrument(raw).outcomeId}>{describeInstrument(readInstrument(raw))}</span>
              </li>
            ))}
          </ul>
        )}
      </td>
      <td className="wrap">
        {match.reason_code && <div className="mono small">{match.reason_code}</div>}
        {match.reasons.length > 0 && (
          <ul className="reasons">
            {match.reasons.map((r, i) => (
              <li key={i}>{r}</li>
            ))}
          </ul>
        )}
        {!match.reason_code && match.reasons.length === 0 && "—"}
      </td>
      <td className="small">{formatDateTime(match.updated_at)}</td>
    </tr>
  );
}

export function MatchCard({ gameId, matches }: { gameId: string; matches: MatchOut[] }) {
  const matchedVenues = new Set(matches.filter((m) => m.status === "matched").map((m) => m.venue));
  return (
    <section className="card" data-testid="match-game" data-game-id={gameId}>
      <h2 className="mono">
        {gameId}{" "}
        {["kalshi", "polymarket"].map((v) => (
          <Badge key={v} tone={matchedVenues.has(v) ? "good" : "muted"}>
            {v} {matchedVenues.has(v) ? "✓" : "—"}
          </Badge>
        ))}
      </h2>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th>Venue</th>
              <th>Market</th>
              <th>Status</th>
              <th>Home outcome</th>
              <th>Instruments (outcome → pays on)</th>
              <th>Reason</th>
              <th>Updated</th>
            </tr>
          </thead>
          <tbody>
            {matches.map((m) => (
              <MatchRow key={`${m.venue}|${m.market_id}`} match={m} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
