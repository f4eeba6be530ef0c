// P&L today and cumulative (figures, cumulative net chart, breakdown tables by sport, strategy and venue).
import type { PnlFigures, PnlRow, PnlSummary } from "../api/types";
import { formatDateTime } from "../format/format";
import { Money } from "./Status";
import { PnlChart } from "./PnlChart";

function Figures({ title, figures, testId }: { title: string; figures: PnlFigures; testId: string }) {
  return (
    <div className="pnl-figures" data-testid={testId}>
      <div className="muted small">{title}</div>
      <div className="big">
        <Money value={figures.net} signed />
      </div>
      <dl className="kv kv-inline">
        <dt>Realized</dt>
        <dd>
          <Money value={figures.realized} signed />
        </dd>
        <dt>Unrealized</dt>
        <dd>
          <Money value={figures.unrealized} signed />
        </dd>
        <dt>Fees</dt>
        <dd>
          <Money value={figures.fees} />
        </dd>
      </dl>
    </div>
  );
}

function Breakdown({ title, rows }: { title: string; rows: PnlRow[] }) {
  return (
    <div>
      <h3>{title}</h3>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th>{title.replace("By ", "")}</th>
              <th className="num">Realized</th>
              <th className="num">Unrealized</th>
              <th className="num">Fees</th>
              <th className="num">Net</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <tr>
                <td colSpan={5} className="muted">
                  Nothing yet
                </td>
              </tr>
            )}
            {rows.map((r) => (
              <tr key={r.key}>
                <td>{r.key}</td>
                <td className="num">
                  <Money value={r.realized} signed />
                </td>
                <td className="num">
                  <Money value={r.unrealized} signed />
                </td>
                <td className="num">
                  <Money value={r.fees} />
                </td>
                <td className="num">
                  <Money value={r.net} signed />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export function PnlPanel({ pnl }: { pnl: PnlSummary }) {
  return (
    <section className="card" aria-labelledby="pnl-title">
      <h2 id="pnl-title">
        P&amp;L <span className="muted small">as of {formatDateTime(pnl.as_of)}</span>
      </h2>
      <div className="pnl-top">
        <Figures title="Today" figures={pnl.today} testId="pnl-today" />
        <Figures title="Cumulative" figures={pnl.cumulative} testId="pnl-cumulative" />
      </div>
      <PnlChart series={pnl.series} />
      <div className="three-col">
        <Breakdown title="By sport" rows={pnl.by_sport} />
        <Breakdown title="By strategy" rows={pnl.by_strategy} />
        <Breakdown title="By venue" rows={pnl.by_venue} />
      </div>
    </section>
  );
}
