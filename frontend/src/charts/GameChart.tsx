// The game chart: model home win probability vs Kalshi and Polymarket home prices over the game, with signal marks.
import {
  CartesianGrid,
  ComposedChart,
  Line,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from "recharts";
import type { NameType, ValueType } from "recharts/types/component/DefaultTooltipContent";
import { formatPrice, formatProbability, formatTime } from "../format/format";
import type { ChartPoint, SignalPoint } from "./gameSeries";

export const SERIES = [
  { key: "model", label: "Model", color: "#f5c451" },
  { key: "kalshi", label: "Kalshi", color: "#4cc38a" },
  { key: "polymarket", label: "Polymarket", color: "#6ea8fe" },
] as const;

const DECISION_COLOR: Record<string, string> = { approved: "#4cc38a", denied: "#ef5b5b", mixed: "#f5a524" };

function ChartTooltip({ active, payload }: TooltipContentProps<ValueType, NameType>) {
  if (!active || !payload || payload.length === 0) return null;
  const first = payload[0]?.payload as Partial<ChartPoint & SignalPoint> | undefined;
  if (!first || first.t === undefined) return null;
  if (first.signal) {
    const s = first.signal;
    return (
      <div className="chart-tooltip" data-testid="signal-tooltip">
        <div className="muted">{formatTime(first.t)}</div>
        <div>
          <b>{s.kind}</b> ({s.strategy})
        </div>
        <div>edge {formatPrice(s.edge_per_contract)}/contract</div>
        <div>decision: {s.decision ?? "—"}</div>
        {s.reason_code && <div className="muted">{s.reason_code}</div>}
        {s.venue && (
          <div className="muted">
            {s.side} {s.venue} {s.market_id}/{s.outcome_id} @ {formatPrice(s.limit_price)}
          </div>
        )}
      </div>
    );
  }
  return (
    <div className="chart-tooltip">
      <div className="muted">{formatTime(first.t)}</div>
      {SERIES.map((s) => (
        <div key={s.key} style={{ color: s.color }}>
          {s.label}: {formatProbability(first[s.key] ?? null)}
        </div>
      ))}
    </div>
  );
}

export function ChartLegend() {
  return (
    <ul className="chart-legend" data-testid="game-chart-legend">
      {SERIES.map((s) => (
        <li key={s.key} data-testid={`legend-${s.key}`}>
          <span className="swatch" style={{ background: s.color }} />
          {s.label}
        </li>
      ))}
      <li>
        <span className="swatch swatch-dot" style={{ background: DECISION_COLOR.approved }} />
        Signal (green approved, red denied)
      </li>
    </ul>
  );
}

export function GameChart({ points, signals }: { points: ChartPoint[]; signals: SignalPoint[] }) {
  return (
    <div className="chart chart-game" data-testid="game-chart" data-points={points.length} data-signals={signals.length}>
      <ChartLegend />
      {points.length === 0 ? (
        <p className="muted">No probabilities or prices recorded for this game yet.</p>
      ) : (
        <ResponsiveContainer width="100%" height={340}>
          <ComposedChart data={points} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="#243041" strokeDasharray="3 3" />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={["dataMin", "dataMax"]}
              tickFormatter={formatTime}
              stroke="#8a99ad"
            />
            <YAxis domain={[0, 1]} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} stroke="#8a99ad" width={48} />
            <Tooltip content={ChartTooltip} />
            {SERIES.map((s) => (
              <Line
                key={s.key}
                type="stepAfter"
                dataKey={s.key}
                name={s.label}
                stroke={s.color}
                strokeWidth={s.key === "model" ? 2.5 : 1.5}
                dot={false}
                connectNulls
                isAnimationActive={false}
              />
            ))}
            <Scatter
              data={signals}
              dataKey="y"
              name="Signals"
              isAnimationActive={false}
              shape={(props: { cx?: number; cy?: number; payload?: SignalPoint }) => (
                <circle
                  cx={props.cx}
                  cy={props.cy}
                  r={5}
                  stroke="#0b1119"
                  strokeWidth={1.5}
                  fill={DECISION_COLOR[props.payload?.signal?.decision ?? ""] ?? "#c0c8d4"}
                />
              )}
            />
          </ComposedChart>
        </ResponsiveContainer>
      )}
    </div>
  );
}
