// Fleet health: services (healthy/degraded), shards and their games, venue circuit breakers.
import type { FleetOut } from "../api/types";
import { formatDateTime } from "../format/format";
import { Badge } from "./Status";

const CIRCUIT_TONE: Record<string, string> = { closed: "good", half_open: "warn", open: "bad" };

export function FleetPanel({ fleet }: { fleet: FleetOut }) {
  const unhealthy = fleet.services.filter((s) => !s.healthy).length;
  return (
    <section className="card" aria-labelledby="fleet-title">
      <h2 id="fleet-title">
        Fleet{" "}
        <Badge tone={unhealthy ? "bad" : "good"} testId="fleet-health">
          {unhealthy ? `${unhealthy} degraded` : "healthy"}
        </Badge>
      </h2>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th>Service</th>
              <th>Instance</th>
              <th>Status</th>
              <th>Health</th>
              <th>Last beat</th>
            </tr>
          </thead>
          <tbody>
            {fleet.services.map((s) => (
              <tr key={`${s.service}/${s.instance_id}`} data-testid="fleet-service-row">
                <td>{s.service}</td>
                <td className="mono">{s.instance_id}</td>
                <td>{s.status}</td>
                <td>
                  <Badge tone={s.healthy ? "good" : "bad"}>{s.healthy ? "healthy" : "degraded"}</Badge>
                </td>
                <td>{formatDateTime(s.last_beat)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="two-col">
        <div>
          <h3>Shards</h3>
          {fleet.shards.length === 0 && <p className="muted">No shards.</p>}
          <ul className="plain">
            {fleet.shards.map((s) => (
              <li key={s.shard_id}>
                <span className="mono">{s.shard_id}</span>: {s.games.length} game{s.games.length === 1 ? "" : "s"}
              </li>
            ))}
          </ul>
        </div>
        <div>
          <h3>Venue circuits</h3>
          {fleet.circuits.length === 0 && <p className="muted">No circuits reported.</p>}
          <ul className="plain">
            {fleet.circuits.map((c) => (
              <li key={c.venue} data-testid="circuit">
                {c.venue} <Badge tone={CIRCUIT_TONE[c.state] ?? "warn"}>{c.state}</Badge>
                {c.reason && <span className="muted"> {c.reason}</span>}
                {c.since && <span className="muted small"> since {formatDateTime(c.since)}</span>}
              </li>
            ))}
          </ul>
        </div>
      </div>
    </section>
  );
}
