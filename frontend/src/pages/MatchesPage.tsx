// Matches: per game, the venue markets matched to it (with orientation) and the refused ones with reasons.
import { useMemo } from "react";
import { useSearchParams } from "react-router-dom";
import { useAuth } from "../auth/AuthContext";
import { usePaged } from "../api/usePaged";
import { MATCH_STATUSES, VENUES, nonEmpty, oneOf } from "../api/params";
import type { MatchOut } from "../api/types";
import { Empty, ErrorBox, LoadMore, Loading } from "../components/Status";
import { MatchCard } from "../matches/MatchCard";

const PAGE = 200;

function groupByGame(matches: MatchOut[]): [string, MatchOut[]][] {
  const groups = new Map<string, MatchOut[]>();
  for (const m of matches) {
    const key = m.game_id || "(no game)";
    const list = groups.get(key);
    if (list) list.push(m);
    else groups.set(key, [m]);
  }
  return [...groups.entries()];
}

export function MatchesPage() {
  const { client } = useAuth();
  const [params, setParams] = useSearchParams();
  const gameId = params.get("game_id") ?? "";
  const status = params.get("status") ?? "";
  const venue = params.get("venue") ?? "";
  const matches = usePaged(
    (offset, signal) =>
      client.get("/api/v1/matches", {
        query: {
          game_id: nonEmpty(gameId),
          status: oneOf(status, MATCH_STATUSES),
          venue: oneOf(venue, VENUES),
          limit: PAGE,
          offset,
        },
        signal,
      }),
    `${gameId}|${status}|${venue}`,
  );
  const groups = useMemo(() => groupByGame(matches.items), [matches.items]);

  function set(name: string, value: string) {
    const p = new URLSearchParams(params);
    if (value) p.set(name, value);
    else p.delete(name);
    setParams(p, { replace: true });
  }

  return (
    <div className="page">
      <h1 className="page-title">Matches</h1>
      <div className="filters">
        <label>
          Game
          <input value={gameId} onChange={(e) => set("game_id", e.target.value.trim())} placeholder="game id" data-testid="matches-filter-game" />
        </label>
        <label>
          Status
          <select value={status} onChange={(e) => set("status", e.target.value)} data-testid="matches-filter-status">
            <option value="">All</option>
            <option value="matched">matched</option>
            <option value="refused">refused</option>
          </select>
        </label>
        <label>
          Venue
          <select value={venue} onChange={(e) => set("venue", e.target.value)} data-testid="matches-filter-venue">
            <option value="">All</option>
            <option value="kalshi">kalshi</option>
            <option value="polymarket">polymarket</option>
          </select>
        </label>
      </div>
      {matches.error && <ErrorBox error={matches.error} onRetry={matches.reload} />}
      {matches.loading && matches.items.length === 0 && <Loading what="Matches" />}
      {!matches.loading && !matches.error && matches.items.length === 0 && <Empty>No matches.</Empty>}
      {groups.map(([game, list]) => (
        <MatchCard key={game} gameId={game} matches={list} />
      ))}
      <LoadMore nextOffset={matches.nextOffset} loading={matches.loading} onClick={matches.loadMore} />
    </div>
  );
}
