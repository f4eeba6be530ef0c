// Positions: open / closed / settled with P&L, updated live from position and fill events.
import { useSearchParams } from "react-router-dom";
import { useAuth } from "../auth/AuthContext";
import { usePaged } from "../api/usePaged";
import { POSITION_STATUSES, nonEmpty, oneOf } from "../api/params";
import { useStreamEvents } from "../stream/StreamContext";
import { ErrorBox, LoadMore, Loading } from "../components/Status";
import { PositionsTable, positionKey } from "../positions/PositionsTable";
import { useHighlights } from "../trades/useHighlights";

const PAGE = 100;
const TABS = [
  { id: "open", label: "Open" },
  { id: "settled", label: "Settled" },
  { id: "closed", label: "Closed" },
  { id: "all", label: "All" },
] as const;

export function PositionsPage() {
  const { client } = useAuth();
  const [params, setParams] = useSearchParams();
  const tab = params.get("status") ?? "open";
  const status = oneOf(tab, POSITION_STATUSES);
  const gameId = params.get("game_id") ?? "";
  const highlights = useHighlights();
  const positions = usePaged(
    (offset, signal) =>
      client.get("/api/v1/positions", { query: { status, game_id: nonEmpty(gameId), limit: PAGE, offset }, signal }),
    `${tab}|${gameId}`,
  );

  useStreamEvents(["position", "fill"], (event) => {
    if (event.type === "fill") {
      const f = event.data;
      highlights.mark(positionKey(f));
      return;
    }
    const p = event.data;
    const key = positionKey(p);
    const inView = (!status || p.status === status) && (!gameId || p.game_id === gameId);
    if (inView) {
      positions.upsert(p, positionKey);
      highlights.mark(key);
    } else {
      positions.remove(key, positionKey);
    }
  });

  function set(name: string, value: string) {
    const p = new URLSearchParams(params);
    if (value) p.set(name, value);
    else p.delete(name);
    setParams(p, { replace: true });
  }

  return (
    <div className="page">
      <h1 className="page-title">Positions</h1>
      <div className="filters">
        <label>
          Game
          <input value={gameId} onChange={(e) => set("game_id", e.target.value.trim())} placeholder="game id" data-testid="positions-filter-game" />
        </label>
      </div>
      <div className="tabs" role="tablist">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            className={`tab ${tab === t.id ? "tab-active" : ""}`}
            onClick={() => set("status", t.id)}
            data-testid={`positions-tab-${t.id}`}
          >
            {t.label}
          </button>
        ))}
      </div>
      {positions.error && <ErrorBox error={positions.error} onRetry={positions.reload} />}
      {positions.loading && positions.items.length === 0 ? (
        <Loading what="Positions" />
      ) : (
        <section className="card">
          <PositionsTable positions={positions.items} isNew={highlights.isNew} />
        </section>
      )}
      <LoadMore nextOffset={positions.nextOffset} loading={positions.loading} onClick={positions.loadMore} />
    </div>
  );
}
