// The game chart: model home win probability vs Kalshi and Polymarket home prices over the game, with signal marks.
import {
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceDot,
  ResponsiveContainer,
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
  const first = payload[0]?.payload as Partial<ChartPoint> | undefined;
  if (!first || first.t === undefined) return null;
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

// The hover text of a signal mark: kind, edge, decision and the leg it traded.
function signalTitle(p: SignalPoint): string {
  const s = p.signal;
  const leg = s.venue ? ` — ${s.side ?? ""} ${s.venue} @ ${formatPrice(s.limit_price)}` : "";
  return `${formatTime(p.t)} ${s.kind} (${s.strategy}): edge ${formatPrice(s.edge_per_contract)}/contract, decision ${s.decision ?? "—"}${leg}`;
}

// How many points of each series have a value (exposed for the browser tests as data-points-<series>).
function seriesCounts(points: ChartPoint[]): Record<(typeof SERIES)[number]["key"], number> {
  const count = (key: (typeof SERIES)[number]["key"]) => points.filter((p) => p[key] !== null && p[key] !== undefined).length;
  return { model: count("model"), kalshi: count("kalshi"), polymarket: count("polymarket") };
}

export function GameChart({ points, signals }: { points: ChartPoint[]; signals: SignalPoint[] }) {
  const counts = seriesCounts(points);
  return (
    <div
      className="chart chart-game"
      data-testid="game-chart"
      data-points={points.length}
      data-points-model={counts.model}
      data-points-kalshi={counts.kalshi}
      data-points-polymarket={counts.polymarket}
      data-signals={signals.length}
    >
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
            {signals.map((p) => (
              // Reference dots, not a Scatter: in a ComposedChart a Scatter is laid out on the chart's own rows.
              <ReferenceDot
                key={p.signal.signal_id}
                x={p.t}
                y={p.y}
                r={5}
                ifOverflow="extendDomain"
                shape={(props: { cx?: number; cy?: number }) => (
                  <circle
                    cx={props.cx}
                    cy={props.cy}
                    r={5}
                    stroke="#0b1119"
                    strokeWidth={1.5}
                    fill={DECISION_COLOR[p.signal.decision ?? ""] ?? "#c0c8d4"}
                    data-testid="signal-dot"
                  >
                    <title>{signalTitle(p)}</title>
                  </circle>
                )}
              />
            ))}
          </ComposedChart>
        </ResponsiveContainer>
      )}
    </div>
  );
}
