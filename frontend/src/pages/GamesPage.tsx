// Live games: the game list (live first) as cards, filterable by status and league, updated from the stream.
import { useEffect, useState } from "react";
import { useAuth } from "../auth/AuthContext";
import { usePaged } from "../api/usePaged";
import { useStreamEvents } from "../stream/StreamContext";
import { useThrottled } from "../stream/useThrottled";
import { applyGameEvent } from "../games/liveGame";
import { GameCard } from "../components/GameCard";
import { Empty, ErrorBox, LoadMore, Loading } from "../components/Status";

const PAGE = 60;

type GameStatusFilter = "" | "in" | "pre" | "post";

export function GamesPage() {
  const { client } = useAuth();
  const [status, setStatus] = useState<GameStatusFilter>("");
  const [league, setLeague] = useState("");
  const games = usePaged(
    (offset, signal) =>
      client.get("/api/v1/games", {
        query: { status: status || undefined, league: league.trim().toLowerCase() || undefined, limit: PAGE, offset },
        signal,
      }),
    `${status}|${league}`,
  );

  // New games have no stream event of their own: reload when an unknown game shows up, and every 30 s.
  const reload = useThrottled(games.reload, 3000);
  useEffect(() => {
    const timer = setInterval(games.reload, 30_000);
    return () => clearInterval(timer);
  }, [games.reload]);

  useStreamEvents(["game_state", "probability", "price"], (event) => {
    const id = event.data.game_id;
    if (!id) return;
    if (games.items.some((g) => g.game_id === id)) games.mapItems((g) => applyGameEvent(g, event));
    else if (!status && !league && !games.loading) reload();
  });

  return (
    <div className="page">
      <h1 className="page-title">Live games</h1>
      <div className="filters">
        <label>
          Status
          <select value={status} onChange={(e) => setStatus(e.target.value as GameStatusFilter)} data-testid="games-status-filter">
            <option value="">All</option>
            <option value="in">Live</option>
            <option value="pre">Scheduled</option>
            <option value="post">Final</option>
          </select>
        </label>
        <label>
          League
          <input value={league} onChange={(e) => setLeague(e.target.value)} placeholder="nba, nhl…" data-testid="games-league-filter" />
        </label>
      </div>
      {games.error && <ErrorBox error={games.error} onRetry={games.reload} />}
      {games.loading && games.items.length === 0 && <Loading what="Games" />}
      {!games.loading && !games.error && games.items.length === 0 && <Empty>No games.</Empty>}
      <div className="game-grid">
        {games.items.map((g) => (
          <GameCard key={g.game_id} game={g} />
        ))}
      </div>
      <LoadMore nextOffset={games.nextOffset} loading={games.loading} onClick={games.loadMore} />
    </div>
  );
}
