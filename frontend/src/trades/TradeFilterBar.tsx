// Filter controls of the Trades page (game, kind, decision, venue), bound to the URL query.
import type { TradeFilters } from "./filters";

interface Props {
  filters: TradeFilters;
  onChange: (next: TradeFilters) => void;
}

export function TradeFilterBar({ filters, onChange }: Props) {
  const set = (key: keyof TradeFilters) => (value: string) => onChange({ ...filters, [key]: value });
  return (
    <div className="filters">
      <label>
        Game
        <input
          value={filters.game_id}
          onChange={(e) => set("game_id")(e.target.value.trim())}
          placeholder="game id"
          data-testid="filter-game"
        />
      </label>
      <label>
        Kind
        <select value={filters.kind} onChange={(e) => set("kind")(e.target.value)} data-testid="filter-kind">
          <option value="">All</option>
          <option value="model_edge">model_edge</option>
          <option value="arbitrage">arbitrage</option>
          <option value="exit">exit</option>
        </select>
      </label>
      <label>
        Decision
        <select value={filters.decision} onChange={(e) => set("decision")(e.target.value)} data-testid="filter-decision">
          <option value="">All</option>
          <option value="approved">approved</option>
          <option value="denied">denied</option>
        </select>
      </label>
      <label>
        Venue
        <select value={filters.venue} onChange={(e) => set("venue")(e.target.value)} data-testid="filter-venue">
          <option value="">All</option>
          <option value="kalshi">kalshi</option>
          <option value="polymarket">polymarket</option>
        </select>
      </label>
    </div>
  );
}
