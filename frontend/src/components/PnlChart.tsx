// Line chart of cumulative P&L over time (net and realized) from /pnl/summary `series`.
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { PnlSummary } from "../api/types";
import { formatDateTime, formatMoney, formatTime } from "../format/format";

export function PnlChart({ series }: { series: PnlSummary["series"] }) {
  if (series.length === 0) return <p className="muted">No P&amp;L history yet.</p>;
  const data = series.map((p) => ({
    t: new Date(p.ts).getTime(),
    net: Number(p.net),
    realized: Number(p.realized),
    netText: p.net,
    realizedText: p.realized,
  }));
  return (
    <div className="chart chart-pnl" data-testid="pnl-chart">
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="#243041" strokeDasharray="3 3" />
          <XAxis dataKey="t" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={formatTime} stroke="#8a99ad" />
          <YAxis stroke="#8a99ad" tickFormatter={(v: number) => `$${v.toFixed(0)}`} width={60} />
          <Tooltip
            contentStyle={{ background: "#121a26", border: "1px solid #2b3a4f" }}
            labelFormatter={(t) => formatDateTime(new Date(Number(t)).toISOString())}
            formatter={(_value, name, item) => {
              const payload = item.payload as { netText: string; realizedText: string };
              return [formatMoney(name === "Net" ? payload.netText : payload.realizedText), name];
            }}
          />
          <Line type="stepAfter" dataKey="net" name="Net" stroke="#4cc38a" dot={false} isAnimationActive={false} />
          <Line type="stepAfter" dataKey="realized" name="Realized" stroke="#6ea8fe" dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
