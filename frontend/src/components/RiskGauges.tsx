// Exposure against limits: one bar per risk gauge (used vs limit), plus recent denials by reason.
import type { Gauge, RiskOut } from "../api/types";
import { formatMoney, formatQuantity } from "../format/format";

function formatAmount(value: string | null, unit: string): string {
  if (value === null) return "no limit";
  return unit === "usd" ? formatMoney(value) : formatQuantity(value);
}

/** Share of the limit used, 0..∞ (Number is fine for a bar width); null when there is no limit. */
export function gaugeRatio(gauge: Pick<Gauge, "used" | "limit">): number | null {
  if (gauge.limit === null || gauge.limit === undefined) return null;
  const limit = Math.abs(Number(gauge.limit));
  const used = Math.abs(Number(gauge.used));
  if (!Number.isFinite(limit) || !Number.isFinite(used)) return null;
  if (limit === 0) return used > 0 ? Infinity : 0;
  return used / limit;
}

function GaugeBar({ gauge }: { gauge: Gauge }) {
  const ratio = gaugeRatio(gauge);
  const pct = ratio === null ? 0 : Math.min(100, ratio * 100);
  const tone = ratio === null ? "none" : ratio >= 1 ? "over" : ratio >= 0.8 ? "warn" : "ok";
  return (
    <div className="gauge" data-testid="risk-gauge" data-name={gauge.name}>
      <div className="gauge-head">
        <span>{gauge.label}</span>
        <span className="num">
          {formatAmount(gauge.used, gauge.unit)} / {formatAmount(gauge.limit ?? null, gauge.unit)}
        </span>
      </div>
      <div
        className={`gauge-track gauge-${tone}`}
        role="meter"
        aria-label={gauge.label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(pct)}
      >
        <div className="gauge-fill" style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}

export function RiskGauges({ risk }: { risk: RiskOut }) {
  return (
    <section className="card" aria-labelledby="risk-title">
      <h2 id="risk-title">Exposure vs limits</h2>
      {risk.gauges.length === 0 && <p className="muted">No gauges reported.</p>}
      {risk.gauges.map((g) => (
        <GaugeBar key={g.name} gauge={g} />
      ))}
      {risk.recent_denials.length > 0 && (
        <>
          <h3>Recent denials</h3>
          <ul className="chips">
            {risk.recent_denials.map((d) => (
              <li key={d.reason_code} className="chip">
                {d.reason_code} <b>{d.count}</b>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
