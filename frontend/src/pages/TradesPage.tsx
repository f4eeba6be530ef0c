// Trades: signals (with legs, decisions, orders, fills), orders and fills; filterable, paginated, live-updated.
import { useSearchParams } from "react-router-dom";
import { useAuth } from "../auth/AuthContext";
import { usePaged } from "../api/usePaged";
import { DECISIONS, SIGNAL_KINDS, VENUES, nonEmpty, oneOf } from "../api/params";
import { isStoredOrder } from "../api/streamEvents";
import { useStreamEvents } from "../stream/StreamContext";
import { useThrottled } from "../stream/useThrottled";
import { ErrorBox, LoadMore, Loading } from "../components/Status";
import { TradeFilterBar } from "../trades/TradeFilterBar";
import { SignalsTable } from "../trades/SignalsTable";
import { OrdersTable } from "../trades/OrdersTable";
import { FillsTable } from "../trades/FillsTable";
import { useHighlights } from "../trades/useHighlights";
import {
  FILTER_KEYS,
  fillKey,
  fillMatches,
  filtersFromParams,
  orderKey,
  orderMatches,
  signalKey,
  signalMatches,
  type TradeFilters,
} from "../trades/filters";

const PAGE = 50;
const TABS = [
  { id: "signals", label: "Signals" },
  { id: "orders", label: "Orders" },
  { id: "fills", label: "Fills" },
] as const;
type Tab = (typeof TABS)[number]["id"];

export function TradesPage() {
  const { client } = useAuth();
  const [params, setParams] = useSearchParams();
  const filters = filtersFromParams(params);
  const tab: Tab = oneOf(params.get("tab"), ["signals", "orders", "fills"] as const) ?? "signals";
  const key = FILTER_KEYS.map((k) => filters[k]).join("|");
  const highlights = useHighlights();

  const game_id = nonEmpty(filters.game_id);
  const venue = oneOf(filters.venue, VENUES);
  const signals = usePaged(
    (offset, signal) =>
      client.get("/api/v1/signals", {
        query: {
          game_id,
          kind: oneOf(filters.kind, SIGNAL_KINDS),
          decision: oneOf(filters.decision, DECISIONS),
          venue,
          limit: PAGE,
          offset,
        },
        signal,
      }),
    key,
  );
  const orders = usePaged(
    (offset, signal) => client.get("/api/v1/orders", { query: { game_id, venue, limit: PAGE, offset }, signal }),
    key,
  );
  const fills = usePaged(
    (offset, signal) => client.get("/api/v1/fills", { query: { game_id, venue, limit: PAGE, offset }, signal }),
    key,
  );
  const reloadOrders = useThrottled(orders.reload, 2000);
  const reloadSignals = useThrottled(signals.reload, 2000);

  useStreamEvents(["signal", "order", "fill"], (event) => {
    if (event.type === "signal") {
      if (!signalMatches(event.data, filters)) return;
      signals.upsert(event.data, signalKey);
      highlights.mark(signalKey(event.data));
    } else if (event.type === "order") {
      if (!isStoredOrder(event.data)) {
        reloadOrders();
        return;
      }
      if (!orderMatches(event.data, filters)) return;
      orders.upsert(event.data, orderKey);
      highlights.mark(orderKey(event.data));
      reloadSignals(); // a leg's order status / fill changed
    } else {
      if (!fillMatches(event.data, filters)) return;
      fills.upsert(event.data, fillKey);
      highlights.mark(fillKey(event.data));
    }
  });

  function update(next: TradeFilters) {
    const p = new URLSearchParams(params);
    for (const k of FILTER_KEYS) {
      if (next[k]) p.set(k, next[k]);
      else p.delete(k);
    }
    setParams(p, { replace: true });
  }

  function selectTab(id: Tab) {
    const p = new URLSearchParams(params);
    p.set("tab", id);
    setParams(p, { replace: true });
  }

  const current = tab === "signals" ? signals : tab === "orders" ? orders : fills;
  return (
    <div className="page">
      <h1 className="page-title">Trades</h1>
      <TradeFilterBar filters={filters} onChange={update} />
      <div className="tabs" role="tablist">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            className={`tab ${tab === t.id ? "tab-active" : ""}`}
            onClick={() => selectTab(t.id)}
            data-testid={`trades-tab-${t.id}`}
          >
            {t.label}
          </button>
        ))}
      </div>
      {current.error && <ErrorBox error={current.error} onRetry={current.reload} />}
      {current.loading && current.items.length === 0 ? (
        <Loading />
      ) : (
        <section className="card">
          {tab === "signals" && (
            <SignalsTable signals={signals.items.filter((s) => signalMatches(s, filters))} isNew={highlights.isNew} />
          )}
          {tab === "orders" && <OrdersTable orders={orders.items} isNew={highlights.isNew} />}
          {tab === "fills" && <FillsTable fills={fills.items} isNew={highlights.isNew} />}
        </section>
      )}
      <LoadMore nextOffset={current.nextOffset} loading={current.loading} onClick={current.loadMore} />
    </div>
  );
}
