// Overview: P&L, exposure against limits, trading state with halt/resume, and fleet health.
import { useAuth } from "../auth/AuthContext";
import { useApi } from "../api/useApi";
import { useStreamEvents } from "../stream/StreamContext";
import { useThrottled } from "../stream/useThrottled";
import { PnlPanel } from "../components/PnlPanel";
import { RiskGauges } from "../components/RiskGauges";
import { TradingPanel } from "../components/TradingPanel";
import { FleetPanel } from "../components/FleetPanel";
import { ErrorBox, Loading } from "../components/Status";

export function OverviewPage() {
  const { client } = useAuth();
  const trading = useApi((signal) => client.get("/api/v1/trading-state", { signal }), "trading");
  const pnl = useApi((signal) => client.get("/api/v1/pnl/summary", { signal }), "pnl");
  const risk = useApi((signal) => client.get("/api/v1/risk", { signal }), "risk");
  const fleet = useApi((signal) => client.get("/api/v1/fleet", { signal }), "fleet");

  useStreamEvents(["trading_state"], (event) => trading.setData(event.data));
  // Fills and positions move P&L and exposure: refresh those summaries (cheap, server-computed).
  const refresh = useThrottled(() => {
    pnl.reload();
    risk.reload();
  }, 3000);
  useStreamEvents(["fill", "position"], refresh);

  return (
    <div className="page overview">
      <h1 className="page-title">Overview</h1>
      <div className="overview-grid">
        <div className="col-main">
          {pnl.error ? <ErrorBox error={pnl.error} onRetry={pnl.reload} /> : pnl.data ? <PnlPanel pnl={pnl.data} /> : <Loading what="P&L" />}
        </div>
        <div className="col-side">
          {trading.error && <ErrorBox error={trading.error} onRetry={trading.reload} />}
          <TradingPanel state={trading.data ?? risk.data?.trading ?? null} onChange={trading.setData} />
          {risk.error ? <ErrorBox error={risk.error} onRetry={risk.reload} /> : risk.data ? <RiskGauges risk={risk.data} /> : <Loading what="Risk" />}
        </div>
      </div>
      {fleet.error ? <ErrorBox error={fleet.error} onRetry={fleet.reload} /> : fleet.data ? <FleetPanel fleet={fleet.data} /> : <Loading what="Fleet" />}
    </div>
  );
}
