// One game: scoreboard, the probability/price chart with signals (history + live stream), latest quotes and signals.
import { useMemo, useState } from "react";
import { Link, useParams } from "react-router-dom";
import { useAuth } from "../auth/AuthContext";
import { useApi } from "../api/useApi";
import { useStreamEvents } from "../stream/StreamContext";
import {
  addPrice,
  addProbability,
  addSignal,
  buildSeries,
  combine,
  emptyChartData,
  fromHistory,
  signalMarkFromSignal,
  signalPoints,
  type PriceBasis,
} from "../charts/gameSeries";
import { GameChart } from "../charts/GameChart";
import { applyGameEvent, priceFromEvent } from "../games/liveGame";
import { GameClock, GameScore } from "../components/GameCard";
import { ErrorBox, Loading } from "../components/Status";
import { SignalList } from "../components/SignalList";
import { QuoteTable } from "../components/QuoteTable";

export function GamePage() {
  const { gameId = "" } = useParams();
  const { client } = useAuth();
  const game = useApi((signal) => client.get("/api/v1/games/{game_id}", { path: { game_id: gameId }, signal }), gameId);
  const history = useApi(
    (signal) =>
      client.get("/api/v1/games/{game_id}/history", { path: { game_id: gameId }, query: { max_points: 2000 }, signal }),
    gameId,
  );
  const [live, setLive] = useState(emptyChartData);
  const [lastGame, setLastGame] = useState(gameId);
  const [basis, setBasis] = useState<PriceBasis>("mid");
  if (lastGame !== gameId) {
    setLastGame(gameId);
    setLive(emptyChartData());
  }

  useStreamEvents(["game_state", "probability", "price", "signal"], (event) => {
    if (event.data.game_id !== gameId) return;
    if (event.type === "signal") {
      setLive((d) => addSignal(d, signalMarkFromSignal(event.data)));
      return;
    }
    game.setData((g) => (g ? applyGameEvent(g, event) : g));
    if (event.type === "probability") {
      const { game_id: _id, ...p } = event.data;
      setLive((d) => addProbability(d, p));
    } else if (event.type === "price") {
      const p = priceFromEvent(event.data);
      if (p) setLive((d) => addPrice(d, p));
    }
  });

  const data = useMemo(
    () => combine(history.data ? fromHistory(history.data) : emptyChartData(), live),
    [history.data, live],
  );
  const points = useMemo(() => buildSeries(data, basis), [data, basis]);
  const marks = useMemo(() => signalPoints(data, points), [data, points]);

  if (game.error) return <ErrorBox error={game.error} onRetry={game.reload} />;
  if (!game.data) return <Loading what="Game" />;
  const g = game.data;

  return (
    <div className="page game-page">
      <div className="breadcrumbs">
        <Link to="/games">← Live games</Link>
      </div>
      <h1 className="page-title">
        {g.away_name} @ {g.home_name}
      </h1>
      <div className="card game-header">
        <GameScore game={g} />
        <div className="game-meta">
          <GameClock game={g} />
          <span className="muted small">
            {g.league.toUpperCase()} · {g.game_id} · shard {g.shard_id ?? "—"}
          </span>
          <Link to={`/matches?game_id=${encodeURIComponent(g.game_id)}`}>Markets matched to this game</Link>
        </div>
      </div>
      <section className="card">
        <div className="section-head">
          <h2>{g.home_name} win: model vs markets</h2>
          <label className="inline-field">
            Price
            <select value={basis} onChange={(e) => setBasis(e.target.value as PriceBasis)} data-testid="price-basis">
              <option value="mid">mid</option>
              <option value="ask">ask</option>
            </select>
          </label>
        </div>
        {history.error && <ErrorBox error={history.error} onRetry={history.reload} />}
        {history.loading && !history.data ? <Loading what="History" /> : <GameChart points={points} signals={marks} />}
      </section>
      <div className="two-col">
        <QuoteTable game={g} />
        <SignalList signals={marks.map((m) => m.signal)} />
      </div>
    </div>
  );
}
