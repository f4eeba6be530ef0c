// One game as a card: teams, score, period/clock, status, model probability and both venues' home/away prices.
import { Link } from "react-router-dom";
import type { GameSummary } from "../api/types";
import { formatClock, formatDateTime, formatPrice, formatProbability } from "../format/format";
import { venueQuote } from "../games/liveGame";
import { Badge } from "./Status";

const VENUES = ["kalshi", "polymarket"] as const;
const STATUS_TONE: Record<string, string> = { in: "live", pre: "muted", post: "done" };

function statusLabel(game: GameSummary): string {
  if (game.status === "in") return "LIVE";
  if (game.status === "post" || game.completed) return "FINAL";
  return "PRE";
}

export function GameScore({ game }: { game: GameSummary }) {
  const s = game.state;
  return (
    <div className="score">
      <div className="team">
        <span className="team-abbr">{game.away_team}</span>
        <span className="team-name">{game.away_name}</span>
        <span className="team-score num">{s ? s.away_score : "–"}</span>
      </div>
      <div className="team">
        <span className="team-abbr">{game.home_team}</span>
        <span className="team-name">{game.home_name}</span>
        <span className="team-score num">{s ? s.home_score : "–"}</span>
      </div>
    </div>
  );
}

export function GameClock({ game }: { game: GameSummary }) {
  const s = game.state;
  if (!s || game.status === "pre") return <span className="muted small">{formatDateTime(game.scheduled_start)}</span>;
  const clock = formatClock(s.clock_seconds);
  return (
    <span className="small">
      P{s.period}
      {clock && ` · ${clock}`}
    </span>
  );
}

export function GameCard({ game }: { game: GameSummary }) {
  const p = game.probability;
  return (
    <Link to={`/games/${encodeURIComponent(game.game_id)}`} className="card game-card" data-testid="game-card" data-game-id={game.game_id} data-status={game.status}>
      <div className="game-card-head">
        <Badge tone={STATUS_TONE[game.status] ?? "muted"}>{statusLabel(game)}</Badge>
        <span className="muted small">{game.league.toUpperCase()}</span>
        <GameClock game={game} />
      </div>
      <GameScore game={game} />
      <table className="mini-table">
        <thead>
          <tr>
            <th />
            <th className="num">{game.away_team}</th>
            <th className="num">{game.home_team}</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>Model</td>
            <td className="num">{formatProbability(p?.away)}</td>
            <td className="num">{formatProbability(p?.home)}</td>
          </tr>
          {VENUES.map((venue) => {
            const away = venueQuote(game, venue, "away");
            const home = venueQuote(game, venue, "home");
            return (
              <tr key={venue}>
                <td className="cap">{venue}</td>
                <td className="num">{away ? `${formatPrice(away.best_bid)} / ${formatPrice(away.best_ask)}` : "—"}</td>
                <td className="num">{home ? `${formatPrice(home.best_bid)} / ${formatPrice(home.best_ask)}` : "—"}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </Link>
  );
}
